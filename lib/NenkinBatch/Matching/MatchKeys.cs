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
    private const byte PensionNumberFlag = 1, NumberDigestFlag = 2, KanjiFlag = 4, AlphabetFlag = 8, AddressFlag = 16, SuffixFlag = 32, WildcardFlag = 64;

    public readonly int KanaRaw, KanaWidth, KanaSmall, KanaLoose;
    /// <summary>The kanji name exactly (NFC, no spaces) or, for an alphabet name, its token key (see <see cref="AlphabetName.Key"/>).</summary>
    public readonly int KanjiExactOrAlphabet;
    /// <summary>The kanji name without ideographic variation selectors, and with its 異体字 folded too (see <see cref="KanjiName.Key"/>).</summary>
    public readonly int KanjiWithoutVariationSelectors, KanjiVariantFolded;
    /// <summary>The 基礎年金番号 and the 個人番号 digest.</summary>
    public readonly int PensionNumber, NumberDigest;
    /// <summary>The address: town and every house number, town and 丁目 (or 番地), the town; see <see cref="AddressKey"/>.</summary>
    public readonly int AddressCanonical, AddressPlace, AddressTown;
    /// <summary>The city and ward, 0 where left out: compared only where both sides write one.</summary>
    public readonly int AddressCity, AddressWard;
    /// <summary>The 方書, and the room number it ends with (0 if none; equal to the 方書's own when it is the number alone).</summary>
    public readonly int AddressSuffix, AddressRoom;
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
        var (canonical, suffix) = (forms.AddressCanonical, forms.AddressSuffix);
        (KanaRaw, KanaWidth, KanaSmall, KanaLoose) = (Id(kana.Raw), Id(kana.Width), Id(kana.Small), Id(kana.Loose));
        byte flags = 0;
        if (alphabet is not null)
        {
            KanjiExactOrAlphabet = Id(alphabet);
            flags |= AlphabetFlag;
        }
        else if (kanji is not null)
        {
            (KanjiExactOrAlphabet, KanjiWithoutVariationSelectors, KanjiVariantFolded) = (Id(kanji.Exact), Id(kanji.WithoutVariationSelectors), Id(kanji.VariantFolded));
            flags |= KanjiFlag;
            if (kanji.HasWildcard) flags |= WildcardFlag;
        }
        if (pension is not null)
        {
            PensionNumber = Id(pension);
            flags |= PensionNumberFlag;
        }
        if (digest is not null)
        {
            NumberDigest = add ? symbols.Add(digest) : symbols.Find(digest);
            flags |= NumberDigestFlag;
        }
        if (canonical is not null)
        {
            (AddressCanonical, AddressPlace, AddressTown) = (Id(canonical), Id(forms.AddressPlace), Id(forms.AddressTown));
            (AddressCity, AddressWard) = (Id(forms.AddressCity), Id(forms.AddressWard));
            flags |= AddressFlag;
        }
        if (suffix is not null)
        {
            (AddressSuffix, AddressRoom) = (Id(suffix), Id(forms.AddressRoom));
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

    public bool HasPensionNumber => (_flags & PensionNumberFlag) != 0;
    public bool HasNumberDigest => (_flags & NumberDigestFlag) != 0;
    public bool HasKanji => (_flags & KanjiFlag) != 0;
    public bool HasAlphabet => (_flags & AlphabetFlag) != 0;
    public bool HasAddress => (_flags & AddressFlag) != 0;
    public bool HasSuffix => (_flags & SuffixFlag) != 0;
    public bool HasWildcard => (_flags & WildcardFlag) != 0;
}
