namespace NenkinBatch.Matching;

/// <summary>A kanji name's comparison forms (see <see cref="KanjiName.Key"/>).</summary>
/// <param name="Exact">NFC, spaces removed.</param>
/// <param name="WithoutVariationSelectors">The exact form with ideographic variation selectors set aside.</param>
/// <param name="VariantFolded">That form with every 異体字 folded through the variant table (外字 never folded).</param>
/// <param name="HasWildcard">The name has a 〓 or ■ (in a JPS name, a character JPS could not write).</param>
public sealed record KanjiKey(string Exact, string WithoutVariationSelectors, string VariantFolded, bool HasWildcard);
