using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Matching;

namespace NenkinBatch.Tests.Matching;

/// <summary>
/// Rule 5 (docs/domain.md): an automatic decision needs an agreeing number or all four of the 4情報, where the name may agree
/// with a former name and the address with a former address (住所履歴, 氏名履歴).
/// </summary>
public class AllFourRuleTests
{
    private const string Home = "千葉県千葉市中央区中央１丁目２番３号";
    private const string Before = "千葉県千葉市花見川区幕張町４丁目５番６号";

    private static Candidate Person(string? pension = null, string name = "山田　花子", string kana = "ヤマダ　ハナコ") =>
        new("1000000015", pension, name, kana, BirthDate.ParseCompact("19800115").Value, 2, Home, null, false);

    private static Matcher MatcherOf(PersonOnFile person)
    {
        var index = new PersonIndex();
        index.Add(person, KanjiName.BuiltIn);
        return new Matcher(index, PersonComparer.BuiltIn, MatchThresholds.Default);
    }

    private static MatchDecision Decide(Matcher matcher, string? address, string? pension = null, string kana = "ﾔﾏﾀﾞ ﾊﾅｺ", string kanji = "山田　花子") =>
        matcher.Decide(new RowIdentity(new ReportedIdentity(pension, kana, kanji, new DateOnly(1980, 1, 15), 2, address, null), KanjiName.BuiltIn));

    [Fact]
    public void NamesakeBornTheSameDay_NotOnFile_NoNumber_NeverAutomatic_WithOrWithoutHistory()
    {
        foreach (var person in new[] { new PersonOnFile(Person(), null), new PersonOnFile(Person(), null) { FormerAddresses = [new FormerValue(Before, new DateOnly(2019, 4, 1))] } })
        {
            var decision = Decide(MatcherOf(person), "千葉県船橋市本町１丁目１番１号");
            decision.Kind.ShouldBe(MatchKind.Review, "name, birth date and sex alone are not enough");
            decision.ReviewReason.ShouldNotBeNull().ShouldContain("住所が市の記録（現住所・旧住所）のどれとも一致しません");
        }
    }

    [Fact]
    public void TheSameNamesake_WithAnAgreeingNumber_IsAutomatic()
    {
        var matcher = MatcherOf(new PersonOnFile(Person(pension: "1234567890"), null));
        Decide(matcher, "千葉県船橋市本町１丁目１番１号", pension: "1234567890").Kind.ShouldBe(MatchKind.Automatic);
    }

    [Fact]
    public void Mover_ListHasTheFormerAddress_AutomaticOnceHistoryHoldsIt_ReviewWithoutIt()
    {
        var withHistory = MatcherOf(new PersonOnFile(Person(), null) { FormerAddresses = [new FormerValue(Before, new DateOnly(2019, 4, 1))] });
        var matched = Decide(withHistory, "花見川区幕張町4-5-6");
        matched.Kind.ShouldBe(MatchKind.Automatic);
        matched.Best!.Value.FormerAddress!.Until.ShouldBe(new DateOnly(2019, 4, 1));

        var withoutHistory = Decide(MatcherOf(new PersonOnFile(Person(), null)), "花見川区幕張町4-5-6");
        withoutHistory.Kind.ShouldBe(MatchKind.Review, "a mover without history is for a clerk, never 市未登録 and never a guess");
    }

    [Fact]
    public void CurrentAddress_AllFourAgree_Automatic_WithoutAnyNumber()
    {
        Decide(MatcherOf(new PersonOnFile(Person(), null)), "中央区中央1-2-3").Kind.ShouldBe(MatchKind.Automatic);
    }

    [Fact]
    public void MaidenName_AgreesWithAFormerName_AutomaticWithTheFormerNameSaid()
    {
        var married = new PersonOnFile(Person(name: "佐藤　花子", kana: "サトウ　ハナコ"), null)
        {
            FormerNames = [new FormerName("山田　花子", "ヤマダ　ハナコ", new DateOnly(2020, 6, 1))],
        };
        var decision = Decide(MatcherOf(married), "中央区中央1-2-3");
        decision.Kind.ShouldBe(MatchKind.Automatic);
        decision.Best!.Value.FormerName!.Name.ShouldBe("山田　花子");

        var noHistory = Decide(MatcherOf(new PersonOnFile(Person(name: "佐藤　花子", kana: "サトウ　ハナコ"), null)), "中央区中央1-2-3");
        noHistory.Kind.ShouldNotBe(MatchKind.Automatic);
    }
}

/// <summary>Alphabet names as a transliterating clerk writes them: levels between "equal" and "different", never agreement.</summary>
public class AlphabetSlipTests
{
    [Theory]
    [InlineData("NGUYEN VAN MINH", "NGUYEN VAN MINH", AlphabetLevel.Agrees)]
    [InlineData("MINH NGUYEN VAN", "NGUYEN VAN MINH", AlphabetLevel.Agrees)]      // family and given name in the other order
    [InlineData("NGUYENN VAN MINH", "NGUYEN VAN MINH", AlphabetLevel.Similar)]    // a doubled letter
    [InlineData("NGUEYN VAN MINH", "NGUYEN VAN MINH", AlphabetLevel.Similar)]     // two letters swapped
    [InlineData("MINH VAN NGUYN", "NGUYEN VAN MINH", AlphabetLevel.Similar)]      // a letter missing, order swapped
    [InlineData("NGUYEN MINH", "NGUYEN VAN MINH", AlphabetLevel.NameDropped)]     // a middle name left out
    [InlineData("SANTOS OLIVEIRA MARIA", "SANTOS MARIA", AlphabetLevel.NameDropped)]
    [InlineData("CHRISTOPHERSEN ANNA", "CHRISTOFERSEN ANNA", AlphabetLevel.Similar)]  // two slips in a long token (PH → F)
    [InlineData("TRAN VAN MINH", "NGUYEN VAN MINH", AlphabetLevel.Differs)]       // another family name
    [InlineData("LEE JOHN", "LI JOHN", AlphabetLevel.Differs)]                   // short tokens: a wrong letter is another name
    [InlineData("LEEE VICTOR", "LEE VICTOR", AlphabetLevel.Similar)]             // but a doubled letter is a slip
    [InlineData("JOA PEDRO GARCIA", "GARCIA JOAO PEDRO", AlphabetLevel.Similar)] // a letter dropped, order swapped
    [InlineData("NGUYEN", "NGUYEN VAN MINH", AlphabetLevel.Differs)]              // two names missing
    [InlineData("NGUYEN VAN ANH", "NGUYEN VAN MINH", AlphabetLevel.Differs)]      // another given name
    public void Compare_BothDirections(string a, string b, AlphabetLevel expected)
    {
        AlphabetName.Compare(AlphabetName.Key(a), AlphabetName.Key(b)).ShouldBe(expected);
        AlphabetName.Compare(AlphabetName.Key(b), AlphabetName.Key(a)).ShouldBe(expected);
    }

    [Fact]
    public void MisspeltAlphabetName_EverythingElseAgreeing_GoesToReview_NotToNotOnFile_NorAutomatic()
    {
        var person = new Candidate("1000000015", null, "NGUYEN VAN MINH", "グエン　ヴァン　ミン", BirthDate.ParseCompact("19900512").Value, 1,
            "千葉県千葉市中央区中央１丁目２番３号", null, true);
        var index = new PersonIndex();
        index.Add(new PersonOnFile(person, null), KanjiName.BuiltIn);
        var matcher = new Matcher(index, PersonComparer.BuiltIn, MatchThresholds.Default);
        var decision = matcher.Decide(new RowIdentity(new ReportedIdentity(null, "ｸﾞｴﾝ ﾊﾞﾝ ﾐﾝ", "NGUYENN VAN MINH", new DateOnly(1990, 5, 12), 1, "中央区中央1-2-3", null), KanjiName.BuiltIn));
        decision.Kind.ShouldBe(MatchKind.Review);
        decision.ReviewReason.ShouldNotBeNull().ShouldContain("氏名");
    }
}
