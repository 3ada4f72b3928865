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
            AddressPlace = parsed.Place;
            AddressCanonical = parsed.Canonical;
            AddressSuffix = SuffixKey(separateSuffix ?? parsed.Suffix);
        }
    }

    public KanaForms Kana { get; }
    public KanjiKey? Kanji { get; }
    public string? Alphabet { get; }
    public string? AddressPlace { get; }
    public string? AddressCanonical { get; }
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

/// <summary>A person on the city's file: what the report and the safe changes need, and their 資格 periods.</summary>
public sealed class PersonOnFile(Candidate candidate, string? addressSuffix)
{
    public Candidate Candidate { get; } = candidate;
    public string AtenaNumber => Candidate.AtenaNumber;
    /// <summary>The 方書 the register keeps apart from the address, when it does.</summary>
    public string? AddressSuffix { get; } = addressSuffix;
    public List<PeriodOnFile> Periods { get; } = [];
    public long UpdatedRunId { get; init; }

    /// <summary>This person's comparison forms (computed anew each time: the index keeps only their keys).</summary>
    public ComparisonForms Forms(KanjiName kanji) => new(Candidate.Name, Candidate.Foreign, Candidate.NameKana, Candidate.Address, AddressSuffix, kanji);
}

/// <summary>What a JPS row says of its person, with every comparison form computed once.</summary>
public sealed class RowIdentity(ReportedIdentity reported, KanjiName kanji)
{
    public ReportedIdentity Reported { get; } = reported;
    public ComparisonForms Forms { get; } = new(reported.KanjiName, reported.KanjiName is { } name && AlphabetName.IsAlphabet(name),
        reported.KanaName, reported.Address, null, kanji);
}
