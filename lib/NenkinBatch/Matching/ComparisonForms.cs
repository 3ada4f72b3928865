using System.Text;

namespace NenkinBatch.Matching;

/// <summary>
/// A name and address in every form they are compared in (kana levels, kanji or alphabet key, canonical address
/// and 方書 apart), computed once. A row keeps its forms while it is decided; a person's are turned into
/// <see cref="MatchKeys"/> when the person joins the index and then let go, so a million people do not carry them.
/// </summary>
public sealed class ComparisonForms
{
    public ComparisonForms(string? name, bool alphabet, string kana, string? address, string? separateSuffix, KanjiName kanji)
    {
        Kana = KanaForms.Of(kana);
        if (name is { Length: > 0 })
        {
            if (alphabet) Alphabet = AlphabetName.Key(name);
            else Kanji = kanji.Key(name);
        }
        if (address is { Length: > 0 })
        {
            var parsed = AddressCanon.Parse(address);
            if (parsed.Canonical.Length > 0)
            {
                (AddressCanonical, AddressPlace, AddressTown) = (parsed.Canonical, parsed.Area, parsed.Town);
                (AddressCity, AddressWard) = (parsed.City, parsed.Ward);
            }
            (AddressSuffix, AddressRoom) = SuffixKey(separateSuffix ?? parsed.Suffix);
        }
    }

    public KanaForms Kana { get; }
    public KanjiKey? Kanji { get; }
    public string? Alphabet { get; }
    /// <summary>The town and every house number (<see cref="AddressKey.Canonical"/>); null for no address.</summary>
    public string? AddressCanonical { get; }
    /// <summary>The town and its 丁目 or 番地 (<see cref="AddressKey.Area"/>).</summary>
    public string? AddressPlace { get; }
    public string? AddressTown { get; }
    /// <summary>The city and ward where written (null where left out).</summary>
    public string? AddressCity { get; }
    public string? AddressWard { get; }
    public string? AddressSuffix { get; }
    /// <summary>The room number that ends the 方書 (`346` of `パークサイド緑346号室`); the very same string as <see cref="AddressSuffix"/> when the 方書 is that number alone.</summary>
    public string? AddressRoom { get; }

    /// <summary>
    /// A 方書 for comparison: NFKC, no spaces, dash forms alike, 号室/号/室 after the room number left out (`346号室` = `３４６`);
    /// and its room number, the digits it ends with.
    /// </summary>
    private static (string? Key, string? Room) SuffixKey(string? suffix)
    {
        if (string.IsNullOrWhiteSpace(suffix)) return (null, null);
        var text = suffix.Normalize(NormalizationForm.FormKC);
        var buffer = text.Length <= 128 ? stackalloc char[text.Length] : new char[text.Length];
        var length = 0;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) continue;
            buffer[length++] = AddressCanon.IsDash(c) ? '-' : c;
        }
        var key = buffer[..length];
        var unit = key.EndsWith("号室", StringComparison.Ordinal) ? 2 : key.Length > 0 && key[^1] is '号' or '室' ? 1 : 0;
        if (unit > 0 && key.Length > unit && char.IsAsciiDigit(key[^(unit + 1)])) key = key[..^unit];
        if (key.Length == 0) return (null, null);
        var room = key.Length;
        while (room > 0 && char.IsAsciiDigit(key[room - 1])) room--;
        var keyText = key.ToString();
        return (keyText, room == key.Length ? null : room == 0 ? keyText : key[room..].ToString());
    }
}
