using System.Globalization;

namespace NenkinBatch.Matching;

/// <summary>
/// Compares a JPS row with a candidate field by field, each at its comparison level, and adds up the
/// Fellegi–Sunter weights. A 基礎年金番号 or 個人番号 present on both sides and different is strong evidence
/// against, not "missing" (docs/domain.md, "Matching people, as implemented" → "What is compared").
/// </summary>
public sealed class PersonComparer
{
    /// <summary>
    /// Every field of <see cref="Levels"/>, in <see cref="LevelField"/> order: its key in weights.json, its report label
    /// and, for each level it can reach, the level's key in weights.json and its report text.
    /// </summary>
    private static readonly FieldLevels[] Fields = InFieldOrder(
    [
        FieldLevels.Of(LevelField.PensionNumber, "basic_pension_number", "基礎年金番号",
            (NumberLevel.Agrees, "agree", "一致"), (NumberLevel.Differs, "disagree", "不一致")),
        FieldLevels.Of(LevelField.IndividualNumber, "individual_number", "個人番号",
            (NumberLevel.Agrees, "agree", "一致"), (NumberLevel.Differs, "disagree", "不一致")),
        FieldLevels.Of(LevelField.Kana, "kana_name", "カナ氏名",
            (KanaLevel.Exact, "Exact", "一致"), (KanaLevel.Width, "Width", "一致(全角半角)"), (KanaLevel.Small, "Small", "一致(拗音促音)"),
            (KanaLevel.Loose, "Loose", "類似(清濁長音)"), (KanaLevel.Different, "Different", "不一致")),
        FieldLevels.Of(LevelField.Kanji, "kanji_name", "漢字氏名",
            (KanjiLevel.Exact, "Exact", "一致"), (KanjiLevel.WithoutVariationSelectors, "WithoutVariationSelectors", "一致"),
            (KanjiLevel.VariantFolded, "VariantFolded", "一致(異体字)"), (KanjiLevel.Wildcard, "Wildcard", "一致(〓)"),
            (KanjiLevel.Different, "Different", "不一致")),
        FieldLevels.Of(LevelField.Alphabet, "alphabet_name", "氏名(英字)",
            (AlphabetLevel.Agrees, "agree", "一致"), (AlphabetLevel.Similar, "similar", "類似(綴りの違い)"),
            (AlphabetLevel.NameDropped, "name_dropped", "類似(名の一部なし)"), (AlphabetLevel.Differs, "disagree", "不一致")),
        FieldLevels.Of(LevelField.Birth, "birth_date", "生年月日",
            (BirthLevel.Equal, "Equal", "一致"), (BirthLevel.KnownPartsEqual, "KnownPartsEqual", "一致(不詳部分を除く)"),
            (BirthLevel.Near, "Near", "近似"), (BirthLevel.Different, "Different", "不一致")),
        FieldLevels.Of(LevelField.Sex, "sex", "性別",
            (SexLevel.Agrees, "agree", "一致"), (SexLevel.Differs, "disagree", "不一致")),
        FieldLevels.Of(LevelField.Address, "address", "住所",
            (AddressLevel.Equal, "Equal", "(正規化後)一致"), (AddressLevel.SamePlace, "SamePlace", "丁目・番地まで一致"),
            (AddressLevel.SameTown, "SameTown", "町名のみ一致"), (AddressLevel.Different, "Different", "不一致")),
        FieldLevels.Of(LevelField.AddressSuffix, "address_suffix", "方書",
            (AddressSuffixLevel.Equal, "Equal", "一致"), (AddressSuffixLevel.Different, "Different", "不一致")),
    ]);

    /// <summary>log2(m/u) by field (<see cref="LevelField"/>) and level (the level's enum value).</summary>
    private readonly double[][] _weights;
    private readonly KanjiName _kanji;

    public PersonComparer(MatchWeights weights, KanjiName kanji)
    {
        _kanji = kanji;
        _weights = Fields.Select(f => f.LevelKeys.Select(level => weights[f.Key, level]).ToArray()).ToArray();
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
        var (pensionNumber, individualNumber) = (NumberLevel.Missing, NumberLevel.Missing);
        var (kanji, alphabet) = (KanjiLevel.Missing, AlphabetLevel.Missing);
        var (address, suffix) = (AddressLevel.Missing, AddressSuffixLevel.Missing);
        if (jps.HasPensionNumber && city.HasPensionNumber)
            pensionNumber = jps.PensionNumber == city.PensionNumber ? NumberLevel.Agrees : NumberLevel.Differs;
        if (jps.HasNumberDigest && city.HasNumberDigest)
            individualNumber = jps.NumberDigest == city.NumberDigest ? NumberLevel.Agrees : NumberLevel.Differs;
        var kana = jps.KanaRaw == city.KanaRaw ? KanaLevel.Exact
            : jps.KanaWidth == city.KanaWidth ? KanaLevel.Width
            : jps.KanaSmall == city.KanaSmall ? KanaLevel.Small
            : jps.KanaLoose == city.KanaLoose ? KanaLevel.Loose : KanaLevel.Different;
        if (city.HasAlphabet)
        {
            if (jps.HasAlphabet || jps.HasKanji)
                alphabet = !jps.HasAlphabet ? AlphabetLevel.Differs
                    : jps.KanjiExactOrAlphabet == city.KanjiExactOrAlphabet ? AlphabetLevel.Agrees
                    : AlphabetName.Compare(row.Forms.Alphabet!, AlphabetName.Key(people[person].Candidate.Name));
        }
        else if (jps.HasKanji)
        {
            kanji = jps.KanjiExactOrAlphabet == city.KanjiExactOrAlphabet ? KanjiLevel.Exact
                : jps.KanjiWithoutVariationSelectors == city.KanjiWithoutVariationSelectors ? KanjiLevel.WithoutVariationSelectors
                : jps.KanjiVariantFolded == city.KanjiVariantFolded ? KanjiLevel.VariantFolded
                : jps.HasWildcard ? KanjiName.Compare(row.Forms.Kanji!, _kanji.Key(people[person].Candidate.Name)) : KanjiLevel.Different;
        }
        else if (jps.HasAlphabet) kanji = KanjiLevel.Different;
        var birth = CompareBirth(row.Reported.BirthDate, city);
        var sex = jps.Sex == city.Sex ? SexLevel.Agrees : SexLevel.Differs;
        if (jps.HasAddress && city.HasAddress)
        {
            address = CompareAddress(jps, city);
            if (jps.HasSuffix && city.HasSuffix) suffix = CompareSuffix(jps, city);
        }
        return new Levels(pensionNumber, individualNumber, kana, kanji, alphabet, birth, sex, address, suffix);
    }

    /// <summary>The Fellegi–Sunter score: the sum of every compared field's weight.</summary>
    public double Score(Levels levels) => IdentityScore(levels) + NumberScore(levels);

    /// <summary>What the 基礎年金番号 and 個人番号 say, where both sides have one.</summary>
    public double NumberScore(Levels levels) =>
        Weight(LevelField.PensionNumber, (sbyte)levels.PensionNumber) + Weight(LevelField.IndividualNumber, (sbyte)levels.IndividualNumber);

    /// <summary>The score of the 4情報 alone, numbers left out: what the name, birth date, sex and address say by themselves.</summary>
    public double IdentityScore(Levels levels) =>
        Weight(LevelField.Kana, (sbyte)levels.Kana) + Weight(LevelField.Kanji, (sbyte)levels.Kanji) + Weight(LevelField.Alphabet, (sbyte)levels.Alphabet)
        + Weight(LevelField.Birth, (sbyte)levels.Birth) + Weight(LevelField.Sex, (sbyte)levels.Sex) + Weight(LevelField.Address, (sbyte)levels.Address)
        + Weight(LevelField.AddressSuffix, (sbyte)levels.AddressSuffix);

    public IReadOnlyList<Evidence> Explain(Levels levels)
    {
        var evidence = new List<Evidence>(Fields.Length);
        ReadOnlySpan<sbyte> values =
        [
            (sbyte)levels.PensionNumber, (sbyte)levels.IndividualNumber, (sbyte)levels.Kana, (sbyte)levels.Kanji, (sbyte)levels.Alphabet,
            (sbyte)levels.Birth, (sbyte)levels.Sex, (sbyte)levels.Address, (sbyte)levels.AddressSuffix,
        ];
        for (var field = 0; field < Fields.Length; field++)
        {
            var level = values[field];
            if (level < 0) continue;
            evidence.Add(new Evidence(Fields[field].Label, Fields[field].Texts[level], _weights[field][level]));
        }
        return evidence;
    }

    public string ExplainText(Levels levels) => string.Join("; ", Explain(levels));

    /// <summary>A field's weight at a level; nothing for a field not compared (<c>Missing</c>, the one level below zero).</summary>
    private double Weight(LevelField field, sbyte level) => level < 0 ? 0 : _weights[(int)field][level];

    /// <summary>
    /// The address from the finest key the two share: town and every number, town and 丁目 (or 番地), town. A city or ward
    /// both sides write and differ on makes it <c>Different</c> whatever the rest; one left out on a side is not compared.
    /// </summary>
    private static AddressLevel CompareAddress(in MatchKeys jps, in MatchKeys city)
    {
        if (!Agree(jps.AddressCity, city.AddressCity) || !Agree(jps.AddressWard, city.AddressWard)) return AddressLevel.Different;
        return jps.AddressCanonical == city.AddressCanonical ? AddressLevel.Equal
            : jps.AddressPlace == city.AddressPlace ? AddressLevel.SamePlace
            : jps.AddressTown == city.AddressTown ? AddressLevel.SameTown : AddressLevel.Different;

        static bool Agree(int jps, int city) => jps == 0 || city == 0 || jps == city;
    }

    /// <summary>The 方書: equal once normalised; or, where one side's is its room number alone (`1-2-3-304`), by the room number.</summary>
    private static AddressSuffixLevel CompareSuffix(in MatchKeys jps, in MatchKeys city)
    {
        if (jps.AddressSuffix == city.AddressSuffix) return AddressSuffixLevel.Equal;
        var roomOnly = (jps.AddressRoom != 0 && jps.AddressSuffix == jps.AddressRoom) || (city.AddressRoom != 0 && city.AddressSuffix == city.AddressRoom);
        return roomOnly && city.AddressRoom != 0 && jps.AddressRoom == city.AddressRoom ? AddressSuffixLevel.Equal : AddressSuffixLevel.Different;
    }

    /// <summary>A 不詳 birth date matches only on its known parts; a one-day or one-digit slip is "near".</summary>
    private static BirthLevel CompareBirth(DateOnly jps, in MatchKeys city)
    {
        if (city.BirthDay >= 0)
        {
            if (city.BirthDay == jps.DayNumber) return BirthLevel.Equal;
            var near = Math.Abs(city.BirthDay - jps.DayNumber) <= 1
                       || (city.BirthYear == jps.Year && city.BirthMonth == jps.Month && Math.Abs(city.BirthDayOfMonth - jps.Day) % 10 == 0)
                       || (city.BirthYear == jps.Year && city.BirthDayOfMonth == jps.Day);
            return near ? BirthLevel.Near : BirthLevel.Different;
        }
        var known = city.BirthYear == jps.Year && (city.BirthMonth == 0 || city.BirthMonth == jps.Month);
        return known ? BirthLevel.KnownPartsEqual : BirthLevel.Different;
    }

    private static FieldLevels[] InFieldOrder(FieldLevels[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i].Field != (LevelField)i) throw new InvalidOperationException($"{fields[i].Key}: fields out of the order of Levels");
        }
        return fields;
    }

    /// <summary>One field's key and label, and each level's key and report text, indexed by the level's enum value.</summary>
    private sealed record FieldLevels(LevelField Field, string Key, string Label, string[] LevelKeys, string[] Texts)
    {
        /// <summary>Every level the field can reach (all but <c>Missing</c>), in the enum's order, which is the weights' index.</summary>
        public static FieldLevels Of<TLevel>(LevelField field, string key, string label, params (TLevel Level, string Key, string Text)[] levels)
            where TLevel : struct, Enum
        {
            var compared = Enum.GetValues<TLevel>().Where(l => Convert.ToInt32(l, CultureInfo.InvariantCulture) >= 0).ToArray();
            if (!levels.Select(l => l.Level).SequenceEqual(compared)
                || !compared.Select(l => Convert.ToInt32(l, CultureInfo.InvariantCulture)).SequenceEqual(Enumerable.Range(0, compared.Length)))
                throw new InvalidOperationException($"{key}: a weight key and a text for each {typeof(TLevel).Name} from 0 up, in order");
            return new FieldLevels(field, key, label, levels.Select(l => l.Key).ToArray(), levels.Select(l => l.Text).ToArray());
        }
    }
}
