using NenkinBatch.Domain;

namespace NenkinBatch.Matching;

/// <summary>
/// One side of a comparison reduced to a small fixed-size record: every comparison form as the number of that
/// exact string in the index's <see cref="Symbols"/>, the birth date as numbers, sex and what is present.
/// Scoring a row against a hundred candidates then reads a hundred of these lying side by side in one array,
/// instead of walking a hundred object graphs scattered over a gigabyte of heap (which, measured, was nearly all
/// of a million-row reconcile). Equal numbers are equal strings and nothing else: a row's form that nobody on
/// file has gets -1, which equals no one.
/// </summary>
public readonly struct MatchKeys
{
    private const byte PensionFlag = 1, DigestFlag = 2, KanjiFlag = 4, AlphabetFlag = 8, AddressFlag = 16, SuffixFlag = 32, WildcardFlag = 64;

    public readonly int KanaRaw, KanaWidth, KanaSmall, KanaLoose;
    /// <summary>Kanji name exact / without variation selectors / variants folded; an alphabet name's token key in the first.</summary>
    public readonly int Name0, Name1, Name2;
    public readonly int Pension, Digest;
    public readonly int AddressCanonical, AddressPlace, AddressSuffix;
    /// <summary>The birth date's day number, or -1 for a 不詳 date (which then has only its year and perhaps its month).</summary>
    public readonly int BirthDay;
    public readonly short BirthYear;
    public readonly byte BirthMonth, BirthDayOfMonth;
    public readonly byte Sex;
    private readonly byte _flags;

    private MatchKeys(Symbols symbols, bool add, ComparisonForms forms, string? pension, byte[]? digest, BirthDate birth, int sex)
    {
        // A form equal to the one before it is usually that same string (KanaForms, KanjiKey): looked up once.
        string? lastText = null;
        var lastId = 0;
        int Id(string? text)
        {
            if (text is null) return 0;
            if (!ReferenceEquals(text, lastText)) (lastText, lastId) = (text, add ? symbols.Add(text) : symbols.Find(text));
            return lastId;
        }
        var (kana, kanji, alphabet) = (forms.Kana, forms.Kanji, forms.Alphabet);
        var (canonical, place, suffix) = (forms.AddressCanonical, forms.AddressPlace, forms.AddressSuffix);
        (KanaRaw, KanaWidth, KanaSmall, KanaLoose) = (Id(kana.Raw), Id(kana.Width), Id(kana.Small), Id(kana.Loose));
        byte flags = 0;
        if (alphabet is not null)
        {
            Name0 = Id(alphabet);
            flags |= AlphabetFlag;
        }
        else if (kanji is not null)
        {
            (Name0, Name1, Name2) = (Id(kanji.Exact), Id(kanji.Stripped), Id(kanji.Folded));
            flags |= KanjiFlag;
            if (kanji.HasWildcard) flags |= WildcardFlag;
        }
        if (pension is not null)
        {
            Pension = Id(pension);
            flags |= PensionFlag;
        }
        if (digest is not null)
        {
            Digest = add ? symbols.Add(digest) : symbols.Find(digest);
            flags |= DigestFlag;
        }
        if (canonical is not null)
        {
            (AddressCanonical, AddressPlace) = (Id(canonical), Id(place));
            flags |= AddressFlag;
        }
        if (suffix is not null)
        {
            AddressSuffix = Id(suffix);
            flags |= SuffixFlag;
        }
        BirthDay = birth.Date is { } date ? date.DayNumber : -1;
        BirthYear = (short)birth.Year;
        BirthMonth = (byte)(birth.Month ?? 0);
        BirthDayOfMonth = (byte)(birth.Day ?? 0);
        Sex = (byte)sex;
        _flags = flags;
    }

    /// <summary>A person's keys, adding their forms to the symbols.</summary>
    public static MatchKeys Of(Candidate person, ComparisonForms forms, Symbols symbols) =>
        new(symbols, true, forms, person.BasicPensionNumber, person.NumberDigest, person.BirthDate, person.Sex);

    /// <summary>A row's keys against the symbols the people were added to.</summary>
    public static MatchKeys Of(RowIdentity row, Symbols symbols)
    {
        var jps = row.Reported;
        var birth = new BirthDate(jps.BirthDate, jps.BirthDate.Year, jps.BirthDate.Month, jps.BirthDate.Day, null);
        return new(symbols, false, row.Forms, jps.BasicPensionNumber, jps.NumberDigest, birth, jps.Sex);
    }

    public bool HasPension => (_flags & PensionFlag) != 0;
    public bool HasDigest => (_flags & DigestFlag) != 0;
    public bool HasKanji => (_flags & KanjiFlag) != 0;
    public bool HasAlphabet => (_flags & AlphabetFlag) != 0;
    public bool HasAddress => (_flags & AddressFlag) != 0;
    public bool HasSuffix => (_flags & SuffixFlag) != 0;
    public bool HasWildcard => (_flags & WildcardFlag) != 0;
}

/// <summary>
/// Every distinct comparison string (and 個人番号 digest) of the people on file, numbered from 1: the vocabulary
/// <see cref="MatchKeys"/> are written in. Also makes the people share one instance of each string.
/// </summary>
public sealed class Symbols
{
    private readonly Dictionary<string, int> _texts = new(StringComparer.Ordinal);
    private readonly Dictionary<byte[], int> _digests = new(ByteArrayComparer.Instance);

    public int Add(string text) => Add(_texts, text);
    public int Add(byte[] digest) => Add(_digests, digest);

    /// <summary>The number of a string someone on file has, or -1 (equal to no one's).</summary>
    public int Find(string text) => _texts.GetValueOrDefault(text, -1);
    public int Find(byte[] digest) => _digests.GetValueOrDefault(digest, -1);

    private static int Add<T>(Dictionary<T, int> table, T value) where T : notnull
    {
        ref var id = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(table, value, out var exists);
        if (!exists) id = table.Count;
        return id;
    }
}

internal sealed class ByteArrayComparer : IEqualityComparer<byte[]>
{
    public static ByteArrayComparer Instance { get; } = new();
    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
    public int GetHashCode(byte[] obj) => obj.Length >= 4 ? BitConverter.ToInt32(obj, 0) : obj.Length;
}
