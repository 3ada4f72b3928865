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
            AddressSuffix = SuffixKey(separateSuffix ?? parsed.Suffix);
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

    /// <summary>A 方書 for comparison: NFKC, no spaces, dash forms alike.</summary>
    private static string? SuffixKey(string? suffix)
    {
        if (string.IsNullOrWhiteSpace(suffix)) return null;
        var builder = new StringBuilder(suffix.Length);
        foreach (var c in suffix.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsWhiteSpace(c)) continue;
            builder.Append(c is '‐' or '−' or 'ー' or '―' or '－' ? '-' : c);
        }
        return builder.ToString();
    }
}
