namespace NenkinBatch.Matching;

/// <summary>
/// An address in canonical form (see <see cref="AddressCanon"/>). The city and the ward are apart from the rest, to be
/// compared only where both sides write one (`千葉県千葉市緑区土気町` = `緑区土気町` = `土気町`, but not `横浜市緑区…`);
/// the 方書 is apart too, compared separately and weakly.
/// </summary>
/// <param name="City">The city as written (`千葉市`, `船橋市`), or null where it is left out.</param>
/// <param name="Ward">The ward as written (`緑区`, or a Tokyo ward `中野区`), or null.</param>
/// <param name="Town">The place below them, without its house number: town with any Kyoto street description, 大字 and 字 left out.</param>
/// <param name="Area">The town and the first house number, the 丁目 (or the 番地 of a town without 丁目): neighbours share it.</param>
/// <param name="Canonical">The town and every house number (`土気町 40-8`, `中央 1-2-3`); the town alone where there is none.</param>
/// <param name="Suffix">The 方書 (building, room) as written after NFKC, or null.</param>
public sealed record AddressKey(string? City, string? Ward, string Town, string Area, string Canonical, string? Suffix)
{
    /// <summary>The house numbers alone (`1-2-3`), or empty.</summary>
    public string Numbers => Canonical.Length > Town.Length ? Canonical[(Town.Length + 1)..] : "";
}
