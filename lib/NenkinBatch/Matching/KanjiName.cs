using System.Collections.Frozen;
using System.Text;

namespace NenkinBatch.Matching;

/// <summary>
/// Kanji name comparison (docs/domain.md, "Matching people, as implemented" → "Normalisation levels"): NFC only —
/// never NFKC on kanji; variation selectors stripped for comparison; 異体字 folded through a data table; 〓 a
/// one-character wildcard; Private Use Area characters (外字) equal only to themselves, never folded nor matched by 〓.
/// </summary>
public sealed class KanjiName(FrozenDictionary<int, int> variants)
{
    public static KanjiName BuiltIn { get; } = new(LoadVariants());

    public KanjiLevel Compare(string jps, string local) => Compare(Key(jps), Key(local));

    /// <summary>A name's comparison forms, computed once: NFC without spaces, without variation selectors, variants folded.</summary>
    public KanjiKey Key(string name)
    {
        // One pass over the NFC text: each form built beside the others, and a form equal to the one before it is that same string.
        var normalized = IsSurelyNfc(name) || name.IsNormalized(NormalizationForm.FormC) ? name : name.Normalize(NormalizationForm.FormC);
        var exact = new StringBuilder(normalized.Length);
        var withoutSelectors = new StringBuilder(normalized.Length);
        var variantFolded = new StringBuilder(normalized.Length);
        var wildcard = false;
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (rune.Value is ' ' or '\u3000') continue;
            Append(exact, rune.Value);
            if (IsVariationSelector(rune.Value)) continue;
            Append(withoutSelectors, rune.Value);
            var fold = Fold(rune.Value);
            Append(variantFolded, fold);
            wildcard |= IsWildcard(fold);
        }
        var exactText = exact.ToString();
        var withoutSelectorsText = withoutSelectors.Equals(exactText.AsSpan()) ? exactText : withoutSelectors.ToString();
        var variantFoldedText = variantFolded.Equals(withoutSelectorsText.AsSpan()) ? withoutSelectorsText : variantFolded.ToString();
        return new KanjiKey(exactText, withoutSelectorsText, variantFoldedText, wildcard);
    }

    /// <summary>
    /// True when every character is one NFC leaves as it is whatever stands beside it (a starter that composes with nothing
    /// that can follow here): printable ASCII, the ideographic space and CJK punctuation, かな and カナ without the combining
    /// sound marks, the CJK unified ideographs of the basic plane, full-width and half-width forms. Nearly every name is
    /// one, and asking ICU whether it is normalised cost more than the rest of the name's comparison forms. Anything else
    /// (the CJK compatibility ideographs, which NFC replaces; combining marks; surrogates) is left to ICU.
    /// </summary>
    internal static bool IsSurelyNfc(string text)
    {
        foreach (var c in text)
        {
            var stable = c is >= '\u0020' and <= '\u007E'
                || c is >= '\u3000' and <= '\u3029' || c is >= '\u3030' and <= '\u303F'
                || c is >= '\u3041' and <= '\u3096' || c is >= '\u309B' and <= '\u30FF'
                || c is >= '\u3400' and <= '\u4DBF' || c is >= '\u4E00' and <= '\u9FFF'
                || c is >= '\uFF01' and <= '\uFFEE';
            if (!stable) return false;
        }
        return true;
    }

    private static void Append(StringBuilder builder, int rune)
    {
        if (rune < 0x10000) builder.Append((char)rune);
        else builder.Append(char.ConvertFromUtf32(rune));
    }

    public static KanjiLevel Compare(KanjiKey jps, KanjiKey local)
    {
        if (string.Equals(jps.Exact, local.Exact, StringComparison.Ordinal)) return KanjiLevel.Exact;
        if (string.Equals(jps.WithoutVariationSelectors, local.WithoutVariationSelectors, StringComparison.Ordinal)) return KanjiLevel.WithoutVariationSelectors;
        if (string.Equals(jps.VariantFolded, local.VariantFolded, StringComparison.Ordinal)) return KanjiLevel.VariantFolded;
        return jps.HasWildcard && WildcardEqual(jps.VariantFolded, local.VariantFolded) ? KanjiLevel.Wildcard : KanjiLevel.Different;
    }

    private static bool WildcardEqual(string jps, string local)
    {
        var (a, b) = (jps.EnumerateRunes().ToList(), local.EnumerateRunes().ToList());
        return a.Count == b.Count && a.Zip(b).All(p => p.First == p.Second || (IsWildcard(p.First.Value) && !IsPrivateUse(p.Second.Value)));
    }

    private int Fold(int rune) => !IsPrivateUse(rune) && variants.TryGetValue(rune, out var folded) ? folded : rune;

    private static bool IsVariationSelector(int rune) => rune is >= 0xE0100 and <= 0xE01EF or >= 0xFE00 and <= 0xFE0F;
    private static bool IsWildcard(int rune) => rune is '〓' or '■';
    private static bool IsPrivateUse(int rune) => rune is >= 0xE000 and <= 0xF8FF or >= 0xF0000 and <= 0x10FFFD;

    private static FrozenDictionary<int, int> LoadVariants()
    {
        using var stream = typeof(KanjiName).Assembly.GetManifestResourceStream("matching/kanji-variants.tsv")
            ?? throw new InvalidOperationException("kanji variant table missing from the assembly");
        using var reader = new StreamReader(stream);
        var table = new Dictionary<int, int>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split('\t');
            table[char.ConvertToUtf32(parts[0], 0)] = char.ConvertToUtf32(parts[1], 0);
        }
        return table.ToFrozenDictionary();
    }
}
