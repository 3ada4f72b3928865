using System.Globalization;
using NenkinBatch.Domain;

namespace NenkinBatch.Matching;

/// <summary>What the city holds of one candidate person, as the matcher compares it.</summary>
public sealed record Candidate(
    string AtenaNumber, string? BasicPensionNumber, string Name, string NameKana, BirthDate BirthDate, int Sex,
    string Address, byte[]? NumberDigest, bool Foreign);

/// <summary>What JPS says of the person a row is about.</summary>
public sealed record Described(string? BasicPensionNumber, string KanaName, string? KanjiName, DateOnly BirthDate, int Sex, string? Address, byte[]? NumberDigest);

/// <summary>One field's part in a decision: the level reached and its weight — the 根拠 a clerk reads.</summary>
public sealed record Evidence(string Field, string Level, double Weight)
{
    public override string ToString() => $"{Field}{Level}({Weight.ToString("+0.0;-0.0", CultureInfo.InvariantCulture)})";
}

/// <summary>The score of a row against a candidate, with every field's evidence.</summary>
public sealed record Comparison(Candidate Candidate, double Score, IReadOnlyList<Evidence> Evidence)
{
    public string Explain() => string.Join("; ", Evidence);
}

/// <summary>
/// The level each field reached in one comparison, -1 where a side had nothing to compare. Small enough to keep
/// for every row of a million-row list; the evidence text is made from it only when a report needs it.
/// </summary>
public readonly record struct Levels(sbyte Pension, sbyte Number, sbyte Kana, sbyte Kanji, sbyte Alphabet, sbyte Birth, sbyte Sex, sbyte Address, sbyte Suffix)
{
    public bool PensionAgrees => Pension == 0;
    public bool NumberAgrees => Number == 0;
}

/// <summary>
/// Compares a JPS row with a candidate field by field, each at its comparison level, and adds up the
/// Fellegi–Sunter weights. A 基礎年金番号 or 個人番号 present on both sides and different is strong evidence
/// against (DOMAIN.md rule 1), not "missing".
/// </summary>
public sealed class PersonComparer
{
    private static readonly (string Field, string Label, string[] Levels, string[] Texts)[] Fields =
    [
        ("basic_pension_number", "基礎年金番号", ["agree", "disagree"], ["一致", "不一致"]),
        ("individual_number", "個人番号", ["agree", "disagree"], ["一致", "不一致"]),
        ("kana_name", "カナ氏名", ["Exact", "Width", "Small", "Loose", "Different"], ["一致", "一致(全角半角)", "一致(拗音促音)", "類似(清濁長音)", "不一致"]),
        ("kanji_name", "漢字氏名", ["Exact", "WithoutVariationSelectors", "VariantFolded", "Wildcard", "Different"], ["一致", "一致", "一致(異体字)", "一致(〓)", "不一致"]),
        ("alphabet_name", "氏名(英字)", ["agree", "disagree"], ["一致", "不一致"]),
        ("birth_date", "生年月日", ["Equal", "KnownPartsEqual", "Near", "Different"], ["一致", "一致(不詳部分を除く)", "近似", "不一致"]),
        ("sex", "性別", ["agree", "disagree"], ["一致", "不一致"]),
        ("address", "住所", ["Equal", "SamePlace", "Different"], ["(正規化後)一致", "町名一致", "不一致"]),
        ("address_suffix", "方書", ["Equal", "Different"], ["一致", "不一致"]),
    ];

    private readonly double[][] _weights;
    private readonly KanjiName _kanji;

    public PersonComparer(MatchWeights weights, KanjiName kanji)
    {
        _kanji = kanji;
        _weights = Fields.Select(f => f.Levels.Select(level => weights[f.Field, level]).ToArray()).ToArray();
    }

    public static PersonComparer BuiltIn { get; } = new(MatchWeights.BuiltIn, KanjiName.BuiltIn);

    public KanjiName Kanji => _kanji;

    /// <summary>Compares raw records (prepares both sides first; for one-off use and tests).</summary>
    public Comparison Compare(Described row, Candidate candidate)
    {
        var levels = Compare(new RowIdentity(row, _kanji), new PersonOnFile(candidate, null, _kanji));
        return new Comparison(candidate, Score(levels), Explain(levels));
    }

    public Levels Compare(RowIdentity row, PersonOnFile person)
    {
        var jps = row.Described;
        var city = person.Candidate;
        sbyte pension = -1, number = -1, kanji = -1, alphabet = -1, address = -1, suffix = -1;
        if (jps.BasicPensionNumber is { } jpsNumber && city.BasicPensionNumber is { } cityNumber)
            pension = (sbyte)(string.Equals(jpsNumber, cityNumber, StringComparison.Ordinal) ? 0 : 1);
        if (jps.NumberDigest is { } jpsDigest && city.NumberDigest is { } cityDigest)
            number = (sbyte)(jpsDigest.AsSpan().SequenceEqual(cityDigest) ? 0 : 1);
        var kana = (sbyte)KanaForms.Compare(row.Kana, person.Kana);
        if (person.Alphabet is { } cityAlphabet)
        {
            if (row.Alphabet is not null || row.Kanji is not null) alphabet = (sbyte)(string.Equals(row.Alphabet, cityAlphabet, StringComparison.Ordinal) ? 0 : 1);
        }
        else if (row.Kanji is { } rowKanji) kanji = (sbyte)KanjiName.Compare(rowKanji, person.Kanji!);
        else if (row.Alphabet is not null) kanji = (sbyte)KanjiLevel.Different;
        var birth = CompareBirth(jps.BirthDate, city.BirthDate);
        var sex = (sbyte)(jps.Sex == city.Sex ? 0 : 1);
        if (row.AddressCanonical is { } canonical)
        {
            address = (sbyte)(string.Equals(canonical, person.AddressCanonical, StringComparison.Ordinal) ? 0
                : string.Equals(row.AddressPlace, person.AddressPlace, StringComparison.Ordinal) ? 1 : 2);
            if (row.AddressSuffix is { } a && person.AddressSuffix is { } b) suffix = (sbyte)(string.Equals(a, b, StringComparison.Ordinal) ? 0 : 1);
        }
        return new Levels(pension, number, kana, kanji, alphabet, birth, sex, address, suffix);
    }

    /// <summary>The Fellegi–Sunter score: the sum of every compared field's weight.</summary>
    public double Score(Levels levels) => IdentityScore(levels) + NumberScore(levels);

    /// <summary>What the 基礎年金番号 and 個人番号 say, where both sides have one.</summary>
    public double NumberScore(Levels levels) => Weight(0, levels.Pension) + Weight(1, levels.Number);

    /// <summary>The score of the 4情報 alone, numbers left out: what the name, birth date, sex and address say by themselves.</summary>
    public double IdentityScore(Levels levels) =>
        Weight(2, levels.Kana) + Weight(3, levels.Kanji) + Weight(4, levels.Alphabet) + Weight(5, levels.Birth)
        + Weight(6, levels.Sex) + Weight(7, levels.Address) + Weight(8, levels.Suffix);

    public IReadOnlyList<Evidence> Explain(Levels levels)
    {
        var evidence = new List<Evidence>(9);
        ReadOnlySpan<sbyte> values = [levels.Pension, levels.Number, levels.Kana, levels.Kanji, levels.Alphabet, levels.Birth, levels.Sex, levels.Address, levels.Suffix];
        for (var field = 0; field < Fields.Length; field++)
        {
            if (values[field] < 0) continue;
            evidence.Add(new Evidence(Fields[field].Label, Fields[field].Texts[values[field]], _weights[field][values[field]]));
        }
        return evidence;
    }

    public string ExplainText(Levels levels) => string.Join("; ", Explain(levels));

    private double Weight(int field, sbyte level) => level < 0 ? 0 : _weights[field][level];

    /// <summary>A 不詳 birth date matches only on its known parts; a one-day or one-digit slip is "near".</summary>
    private static sbyte CompareBirth(DateOnly jps, BirthDate city)
    {
        if (city.Date is { } date)
        {
            if (date == jps) return 0;
            var near = Math.Abs(date.DayNumber - jps.DayNumber) <= 1
                       || (date.Year == jps.Year && date.Month == jps.Month && Math.Abs(date.Day - jps.Day) % 10 == 0)
                       || (date.Year == jps.Year && date.Day == jps.Day);
            return (sbyte)(near ? 2 : 3);
        }
        var known = city.Year == jps.Year && (city.Month is null || city.Month == jps.Month);
        return (sbyte)(known ? 1 : 3);
    }
}
