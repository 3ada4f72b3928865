using System.Text;
using NenkinBatch.Domain;

namespace NenkinBatch.Matching;

/// <summary>A kana name at every folding level, computed once (see <see cref="KanaKey"/>).</summary>
public sealed record KanaForms(string Raw, string Width, string Small, string Loose)
{
    public static KanaForms Of(string kana)
    {
        var width = KanaKey.Width(kana);
        var small = KanaKey.Small(width);
        if (small == width) small = width;
        var loose = KanaKey.Loose(small);
        if (loose == small) loose = small;
        return new KanaForms(kana, width, small, loose);
    }

    public static KanaLevel Compare(KanaForms a, KanaForms b)
    {
        if (string.Equals(a.Raw, b.Raw, StringComparison.Ordinal)) return KanaLevel.Exact;
        if (string.Equals(a.Width, b.Width, StringComparison.Ordinal)) return KanaLevel.Width;
        if (string.Equals(a.Small, b.Small, StringComparison.Ordinal)) return KanaLevel.Small;
        return string.Equals(a.Loose, b.Loose, StringComparison.Ordinal) ? KanaLevel.Loose : KanaLevel.Different;
    }
}

/// <summary>One 資格 period of a person on file, as reconcile compares and updates it.</summary>
public sealed record PeriodOnFile(DateOnly AcquiredOn, int InsuredCategory, string? AcquisitionReason, DateOnly? LostOn, string? LossReason, long UpdatedRunId);

/// <summary>
/// A person on the city's file, with every comparison form computed once when the file is read, so that
/// comparing a row with a candidate is a handful of string comparisons.
/// </summary>
public sealed class PersonOnFile
{
    public PersonOnFile(Candidate candidate, string? addressSuffix, KanjiName kanji)
    {
        Candidate = candidate;
        Kana = KanaForms.Of(candidate.NameKana);
        if (candidate.Foreign) Alphabet = AlphabetName.Key(candidate.Name);
        else Kanji = kanji.Key(candidate.Name);
        var address = AddressCanon.Parse(candidate.Address);
        AddressPlace = address.Place;
        AddressCanonical = address.Canonical;
        AddressSuffix = SuffixKey(addressSuffix ?? address.Suffix);
    }

    public Candidate Candidate { get; }
    public string AtenaNumber => Candidate.AtenaNumber;
    public KanaForms Kana { get; }
    public KanjiKey? Kanji { get; }
    public string? Alphabet { get; }
    public string AddressPlace { get; }
    public string AddressCanonical { get; }
    public string? AddressSuffix { get; }
    public List<PeriodOnFile> Periods { get; } = [];
    public long UpdatedRunId { get; init; }

    /// <summary>A 方書 for comparison: NFKC, no spaces, dash forms alike.</summary>
    internal static string? SuffixKey(string? suffix)
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

/// <summary>What a JPS row says of its person, with every comparison form computed once.</summary>
public sealed class RowIdentity
{
    public RowIdentity(Described described, KanjiName kanji)
    {
        Described = described;
        Kana = KanaForms.Of(described.KanaName);
        if (described.KanjiName is { Length: > 0 } name)
        {
            if (AlphabetName.IsAlphabet(name)) Alphabet = AlphabetName.Key(name);
            else Kanji = kanji.Key(name);
        }
        if (described.Address is { Length: > 0 } text)
        {
            var address = AddressCanon.Parse(text);
            AddressPlace = address.Place;
            AddressCanonical = address.Canonical;
            AddressSuffix = PersonOnFile.SuffixKey(address.Suffix);
        }
    }

    public Described Described { get; }
    public KanaForms Kana { get; }
    public KanjiKey? Kanji { get; }
    public string? Alphabet { get; }
    public string? AddressPlace { get; }
    public string? AddressCanonical { get; }
    public string? AddressSuffix { get; }
}
