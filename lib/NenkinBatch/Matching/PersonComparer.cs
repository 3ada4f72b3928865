using System.Globalization;
using NenkinBatch.Domain;

namespace NenkinBatch.Matching;

/// <summary>What the city holds of one candidate person, as the matcher compares it.</summary>
public sealed record Candidate(
    string AtenaNumber, string? BasicPensionNumber, string Name, string NameKana, BirthDate BirthDate, int Sex,
    string Address, byte[]? NumberDigest, bool Foreign);

/// <summary>What JPS says of the person a row is about.</summary>
public sealed record ReportedIdentity(string? BasicPensionNumber, string KanaName, string? KanjiName, DateOnly BirthDate, int Sex, string? Address, byte[]? NumberDigest);

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
    public Comparison Compare(ReportedIdentity row, Candidate candidate)
    {
        var levels = Compare(new RowIdentity(row, _kanji), new PersonOnFile(candidate, null));
        return new Comparison(candidate, Score(levels), Explain(levels));
    }

    /// <summary>Compares one row with one person (for one-off use and tests; the matcher uses the keys of its index).</summary>
    public Levels Compare(RowIdentity row, PersonOnFile person)
    {
        var index = new PersonIndex();
        index.Add(person, _kanji);
        return Compare(row, index.KeysOf(row), index, 0);
    }

    /// <summary>
    /// The hot path: every level decided on the two <see cref="MatchKeys"/> alone; the person's strings are read only
    /// for a row whose kanji name has 〓 in it.
    /// </summary>
    public Levels Compare(RowIdentity row, in MatchKeys jps, PersonIndex people, int person)
    {
        ref readonly var city = ref people.KeysOf(person);
        sbyte pension = -1, number = -1, kanji = -1, alphabet = -1, address = -1, suffix = -1;
        if (jps.HasPension && city.HasPension) pension = (sbyte)(jps.Pension == city.Pension ? 0 : 1);
        if (jps.HasDigest && city.HasDigest) number = (sbyte)(jps.Digest == city.Digest ? 0 : 1);
        var kana = (sbyte)(jps.KanaRaw == city.KanaRaw ? KanaLevel.Exact
            : jps.KanaWidth == city.KanaWidth ? KanaLevel.Width
            : jps.KanaSmall == city.KanaSmall ? KanaLevel.Small
            : jps.KanaLoose == city.KanaLoose ? KanaLevel.Loose : KanaLevel.Different);
        if (city.HasAlphabet)
        {
            if (jps.HasAlphabet || jps.HasKanji) alphabet = (sbyte)(jps.HasAlphabet && jps.Name0 == city.Name0 ? 0 : 1);
        }
        else if (jps.HasKanji)
        {
            kanji = (sbyte)(jps.Name0 == city.Name0 ? KanjiLevel.Exact
                : jps.Name1 == city.Name1 ? KanjiLevel.WithoutVariationSelectors
                : jps.Name2 == city.Name2 ? KanjiLevel.VariantFolded
                : jps.HasWildcard ? KanjiName.Compare(row.Forms.Kanji!, _kanji.Key(people[person].Candidate.Name)) : KanjiLevel.Different);
        }
        else if (jps.HasAlphabet) kanji = (sbyte)KanjiLevel.Different;
        var birth = CompareBirth(row.Reported.BirthDate, city);
        var sex = (sbyte)(jps.Sex == city.Sex ? 0 : 1);
        if (jps.HasAddress)
        {
            address = (sbyte)(jps.AddressCanonical == city.AddressCanonical ? 0 : jps.AddressPlace == city.AddressPlace ? 1 : 2);
            if (jps.HasSuffix && city.HasSuffix) suffix = (sbyte)(jps.AddressSuffix == city.AddressSuffix ? 0 : 1);
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
    private static sbyte CompareBirth(DateOnly jps, in MatchKeys city)
    {
        if (city.BirthDay >= 0)
        {
            if (city.BirthDay == jps.DayNumber) return 0;
            var near = Math.Abs(city.BirthDay - jps.DayNumber) <= 1
                       || (city.BirthYear == jps.Year && city.BirthMonth == jps.Month && Math.Abs(city.BirthDayOfMonth - jps.Day) % 10 == 0)
                       || (city.BirthYear == jps.Year && city.BirthDayOfMonth == jps.Day);
            return (sbyte)(near ? 2 : 3);
        }
        var known = city.BirthYear == jps.Year && (city.BirthMonth == 0 || city.BirthMonth == jps.Month);
        return (sbyte)(known ? 1 : 3);
    }
}
