using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Matching;

namespace NenkinBatch.Tests.Matching;

public class MatcherTests
{
    private const string Chuo = "千葉県千葉市中央区中央１丁目２番３号";

    private static Candidate Person(string atena, string? pension, string name, string kana, string birth, int sex = 2, string address = Chuo) =>
        new(atena, pension, name, kana, BirthDate.ParseCompact(birth).Value, sex, address, null, AlphabetName.IsAlphabet(name));

    private static ReportedIdentity Row(string? pension, string kana, string kanji, string birth, int sex = 2, string? address = "中央区中央1-2-3") =>
        new(pension, kana, kanji, DateOnly.ParseExact(birth, "yyyyMMdd", CultureInfo.InvariantCulture), sex, address, null);

    private static Matcher MatcherOf(params Candidate[] people)
    {
        var index = new PersonIndex();
        foreach (var person in people) index.Add(new PersonOnFile(person, null), KanjiName.BuiltIn);
        return new Matcher(index, PersonComparer.BuiltIn, MatchThresholds.Default);
    }

    private static string? Decided(Matcher matcher, ReportedIdentity row) => matcher.Decide(new RowIdentity(row, KanjiName.BuiltIn)) is { Kind: MatchKind.Automatic } d
        ? matcher.Index[d.Person].AtenaNumber : null;

    // Twins: one household, one birth date, one surname; only the given name tells them apart.
    private static readonly Candidate TwinA = Person("1000000015", null, "佐藤　陽菜", "サトウ　ヒナ", "20010405");
    private static readonly Candidate TwinB = Person("1000000023", null, "佐藤　結衣", "サトウ　ユイ", "20010405");

    [Fact]
    public void Twins_EachRowGoesToItsOwnTwin_AndATwinNotOnFileToNobody()
    {
        var matcher = MatcherOf(TwinA, TwinB);
        Decided(matcher, Row(null, "ｻﾄｳ ﾋﾅ", "佐藤　陽菜", "20010405")).ShouldBe(TwinA.AtenaNumber);
        Decided(matcher, Row(null, "ｻﾄｳ ﾕｲ", "佐藤　結衣", "20010405")).ShouldBe(TwinB.AtenaNumber);
        // A third sibling of the same birth date, not on file, is nobody's match.
        matcher.Decide(new RowIdentity(Row(null, "ｻﾄｳ ﾘﾝ", "佐藤　凛", "20010405"), KanjiName.BuiltIn)).Kind.ShouldNotBe(MatchKind.Automatic);
    }

    [Fact]
    public void PensionNumberOfOnePerson_FourFactsOfAnother_GoesToReviewWithBothNamed()
    {
        var holder = Person("1000000031", "1111222233", "田中　一郎", "タナカ　イチロウ", "19600101", sex: 1);
        var described = Person("1000000040", "4444555566", "鈴木　花子", "スズキ　ハナコ", "19700312");
        var matcher = MatcherOf(holder, described);

        var decision = matcher.Decide(new RowIdentity(Row("1111222233", "ｽｽﾞｷ ﾊﾅｺ", "鈴木　花子", "19700312"), KanjiName.BuiltIn));

        decision.Kind.ShouldBe(MatchKind.Review);
        decision.Others.Select(o => matcher.Index[o.Person].AtenaNumber).ShouldBe([holder.AtenaNumber, described.AtenaNumber], ignoreOrder: true);
        decision.ReviewReason.ShouldNotBeNull().ShouldContain(holder.AtenaNumber);
        decision.ReviewReason.ShouldContain(described.AtenaNumber);
    }

    [Fact]
    public void SameFourFacts_TwoPeople_NoNumber_IsANearTie_NotAGuess()
    {
        var a = Person("1000000058", null, "高橋　恭子", "タカハシ　キョウコ", "19700312");
        var b = Person("1000000066", null, "高橋　恭子", "タカハシ　キョウコ", "19700312");
        var matcher = MatcherOf(a, b);
        var decision = matcher.Decide(new RowIdentity(Row(null, "ﾀｶﾊｼ ｷｮｳｺ", "高橋　恭子", "19700312"), KanjiName.BuiltIn));
        decision.Kind.ShouldBe(MatchKind.Review);
        decision.ReviewReason.ShouldNotBeNull().ShouldContain("差がありません");
    }

    [Fact]
    public void PensionNumberOnBothSidesAndDifferent_NeverAutomatic_EvenWhenTheFourFactsAgree()
    {
        var person = Person("1000000074", "1234567890", "高橋　恭子", "タカハシ　キョウコ", "19700312");
        var decision = MatcherOf(person).Decide(new RowIdentity(Row("9999999999", "ﾀｶﾊｼ ｷｮｳｺ", "高橋　恭子", "19700312"), KanjiName.BuiltIn));
        decision.Kind.ShouldBe(MatchKind.Review);
        decision.ReviewReason.ShouldBe("基礎年金番号が市の記録と異なります");
    }

    [Fact]
    public void BirthDateSlip_StillFoundThroughTheKanaBlock_AndMatchedOnTheOtherFields()
    {
        var person = Person("1000000082", "1234567890", "高橋　恭子", "タカハシ　キョウコ", "19700312");
        var matcher = MatcherOf(person);
        Decided(matcher, Row("1234567890", "ﾀｶﾊｼ ｷｮｳｺ", "髙橋　恭子", "19700313")).ShouldBe(person.AtenaNumber);
        // … and without the number, a kana-only block still finds the person (for a clerk at least).
        matcher.Decide(new RowIdentity(Row(null, "ﾀｶﾊｼ ｷｮｳｺ", "高橋　恭子", "19700313"), KanjiName.BuiltIn)).Kind.ShouldNotBe(MatchKind.NotOnFile);
    }

    [Fact]
    public void NobodyClose_IsNotOnFile()
    {
        var matcher = MatcherOf(TwinA, TwinB);
        matcher.Decide(new RowIdentity(Row(null, "ﾔﾏﾀﾞ ﾀﾛｳ", "山田　太郎", "19500101", sex: 1), KanjiName.BuiltIn)).Kind.ShouldBe(MatchKind.NotOnFile);
    }

    [Fact]
    public void Decide_IsDeterministic_WhateverTheOrderPeopleWereAdded()
    {
        // Three people the row cannot tell apart: equal scores, so the order is 宛名番号 order, not the order of the index.
        var a = Person("1000000058", null, "高橋　恭子", "タカハシ　キョウコ", "19700312");
        var b = Person("1000000066", null, "高橋　恭子", "タカハシ　キョウコ", "19700312");
        var c = Person("1000000139", null, "高橋　恭子", "タカハシ　キョウコ", "19700312");
        var row = Row(null, "ﾀｶﾊｼ ｷｮｳｺ", "高橋　恭子", "19700312");
        string Describe(Matcher m) => m.Decide(new RowIdentity(row, KanjiName.BuiltIn)) is var d
            ? $"{d.ReviewReason}|{string.Join(",", d.Others.Select(o => m.Index[o.Person].AtenaNumber))}" : "";
        var expected = Describe(MatcherOf(a, b, c));
        expected.ShouldBe($"候補 {b.AtenaNumber}（一致度 {Matcher.Format(PersonComparer.BuiltIn.Compare(row, a).Score)}）と差がありません|{a.AtenaNumber},{b.AtenaNumber},{c.AtenaNumber}");
        Describe(MatcherOf(c, b, a)).ShouldBe(expected);
        Describe(MatcherOf(b, c, a)).ShouldBe(expected);
    }

    [Theory]
    [InlineData("タカハシ　キョウコ", "ﾀｶﾊｼ ｷｮｳｺ")]
    [InlineData("タカハシ　キョウコ", "タカハシ　キヨウコ")]
    [InlineData("ユウコ", "ﾕｰｺ")]
    [InlineData("タカハシ　キョウコ", "タカハシ　キョウコ")]
    [InlineData("タカハシ　キョウコ", "タナカ　キョウコ")]
    public void IndexedComparison_KanaLevel_IsTheStringComparisonsLevel(string city, string jps)
    {
        var (matcher, row) = Indexed(Person("1000000147", null, "高橋　恭子", city, "19700312"), Row(null, jps, "高橋　恭子", "19700312"));
        matcher.Comparer.Compare(row, matcher.Index.KeysOf(row), matcher.Index, Position(matcher, "1000000147")).Kana.ShouldBe(KanaKey.Compare(jps, city));
    }

    [Theory]
    [InlineData("高橋　恭子", "高橋　恭子")]
    [InlineData("辻󠄀　恭子", "辻　恭子")]          // variation selector
    [InlineData("髙橋　恭子", "高橋　恭子")]        // 異体字
    [InlineData("高橋　恭子", "〓橋　恭子")]        // 〓 for a character JPS could not write
    [InlineData("\uE000橋　恭子", "〓橋　恭子")]   // 外字: never matched by 〓
    [InlineData("高橋　恭子", "高橋　京子")]
    public void IndexedComparison_KanjiLevel_IsTheStringComparisonsLevel(string city, string jps)
    {
        var (matcher, row) = Indexed(Person("1000000147", null, city, "タカハシ　キョウコ", "19700312"), Row(null, "ﾀｶﾊｼ ｷｮｳｺ", jps, "19700312"));
        matcher.Comparer.Compare(row, matcher.Index.KeysOf(row), matcher.Index, Position(matcher, "1000000147")).Kanji
            .ShouldBe(KanjiName.BuiltIn.Compare(jps, city));
    }

    /// <summary>The person among others with overlapping names (so the index's vocabulary is not just theirs), and the row prepared.</summary>
    private static (Matcher Matcher, RowIdentity Row) Indexed(Candidate person, ReportedIdentity row) =>
        (MatcherOf(TwinA, person, TwinB, Person("1000000155", null, "高橋　京子", "タカハシ　キヨウコ", "19700313")), new RowIdentity(row, KanjiName.BuiltIn));

    private static int Position(Matcher matcher, string atena) => Enumerable.Range(0, matcher.Index.Count).Single(i => matcher.Index[i].AtenaNumber == atena);

    [Theory]
    [InlineData("19700312", "19700312", "生年月日一致")]
    [InlineData("19700312", "19700313", "生年月日近似")]            // one day
    [InlineData("19700312", "19700322", "生年月日近似")]            // one digit of the day
    [InlineData("19700000", "19700312", "生年月日一致(不詳部分を除く)")] // 不詳: known parts only
    [InlineData("19700300", "19700412", "生年月日不一致")]
    [InlineData("19700312", "19710815", "生年月日不一致")]
    public void BirthDate_Levels(string city, string jps, string expected)
    {
        var person = Person("1000000090", null, "高橋　恭子", "タカハシ　キョウコ", city);
        PersonComparer.BuiltIn.Compare(Row(null, "ﾀｶﾊｼ ｷｮｳｺ", "高橋　恭子", jps), person).Explain().ShouldContain(expected + "(");
    }

    [Theory]
    [InlineData("千葉市中央区中央1-2-3", "住所(正規化後)一致")]
    [InlineData("千葉市中央区中央1-5-8", "住所丁目・番地まで一致")]
    [InlineData("千葉市中央区中央3-2-3", "住所町名のみ一致")]
    [InlineData("千葉市花見川区瑞穂2-11-6", "住所不一致")]
    [InlineData("中央区中央一丁目2番地3　コーポ中央101", "方書一致")]
    [InlineData("中央区中央1-2-3　コーポ中央202", "方書不一致")]
    public void Address_AndSuffix_Levels(string jpsAddress, string expected)
    {
        var person = new PersonOnFile(Person("1000000104", null, "高橋　恭子", "タカハシ　キョウコ", "19700312"), "コーポ中央１０１");
        var levels = PersonComparer.BuiltIn.Compare(new RowIdentity(Row(null, "ﾀｶﾊｼ ｷｮｳｺ", "高橋　恭子", "19700312", address: jpsAddress), KanjiName.BuiltIn), person);
        PersonComparer.BuiltIn.ExplainText(levels).ShouldContain(expected + "(");
    }

    [Theory]
    [InlineData("ＮＧＵＹＥＮ　ＶＡＮ　ＡＮ", "氏名(英字)一致")]
    [InlineData("VAN AN NGUYEN", "氏名(英字)一致")]
    [InlineData("NGUYEN THI LAN", "氏名(英字)不一致")]
    public void AlphabetName_Levels(string jpsName, string expected)
    {
        var person = Person("1000000112", null, "NGUYEN VAN AN", "グエン　ヴァン　アン", "19900101", sex: 1);
        PersonComparer.BuiltIn.Compare(Row(null, "ｸﾞｴﾝ ﾊﾞﾝ ｱﾝ", jpsName, "19900101", sex: 1), person).Explain().ShouldContain(expected + "(");
    }

    [Fact]
    public void Sex_Levels() =>
        PersonComparer.BuiltIn.Compare(Row(null, "ｻﾄｳ ﾋﾅ", "佐藤　陽菜", "20010405", sex: 1), TwinA).Explain().ShouldContain("性別不一致(-6.6)");

    [Fact]
    public void PreparedKana_AgreesWithTheRawComparisonAtEveryLevel()
    {
        (string, string)[] pairs = [("タナカ", "タナカ"), ("ﾀﾅｶ", "タナカ"), ("ｷﾖｳｺ", "キョウコ"), ("ﾕｰｺ", "ユウコ"), ("タナカ", "タカナ")];
        foreach (var (a, b) in pairs) KanaForms.Compare(KanaForms.Of(a), KanaForms.Of(b)).ShouldBe(KanaKey.Compare(a, b));
    }
}
