using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Formats;
using NenkinBatch.Matching;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Synthetic;

namespace NenkinBatch.Tests.Matching;

public class PersonComparerTests
{
    private static readonly Candidate Takahashi = new("1000000007", "1234567890", "髙橋　恭子", "タカハシ　キョウコ",
        BirthDate.ParseCompact("19700312").Value, 2, "千葉県千葉市中央区中央１丁目２番３号", [1, 2, 3], false);

    private static ReportedIdentity Row(string? pension = "1234567890", string kana = "ﾀｶﾊｼ ｷﾖｳｺ", string kanji = "〓橋　恭子", string birth = "1970-03-12",
        int sex = 2, string address = "千葉市中央区中央１－２－３") =>
        new(pension, kana, kanji, DateOnly.Parse(birth, CultureInfo.InvariantCulture), sex, address, null);

    [Fact]
    public void Weights_AreLog2OfMOverU() =>
        MatchWeights.BuiltIn["basic_pension_number", "agree"].ShouldBe(Math.Log2(0.97 / 0.00001), 1e-9);

    [Fact]
    public void Levels_AreOneByteAField() => System.Runtime.CompilerServices.Unsafe.SizeOf<Levels>().ShouldBe(9);

    [Fact]
    public void Compare_SamePerson_EvidenceForEveryFieldAtItsLevel()
    {
        var result = PersonComparer.BuiltIn.Compare(Row(), Takahashi);
        result.Explain().ShouldBe("基礎年金番号一致(+16.6); カナ氏名一致(拗音促音)(+10.0); 漢字氏名一致(〓)(+7.3); 生年月日一致(+8.3); 性別一致(+1.0); 住所(正規化後)一致(+5.3)");
        result.Score.ShouldBe(result.Evidence.Sum(e => e.Weight));
    }

    [Fact]
    public void Compare_PensionNumberOnBothSidesAndDifferent_IsStrongEvidenceAgainst()
    {
        var same = PersonComparer.BuiltIn.Compare(Row(), Takahashi).Score;
        var other = PersonComparer.BuiltIn.Compare(Row(pension: "1234567891"), Takahashi);
        other.Evidence[0].ToString().ShouldBe("基礎年金番号不一致(-6.6)");
        (same - other.Score).ShouldBeGreaterThan(20);
        // … whereas a number missing on one side is no evidence at all.
        PersonComparer.BuiltIn.Compare(Row(pension: null), Takahashi).Evidence.ShouldNotContain(e => e.Field == "基礎年金番号");
    }

    [Fact]
    public void Compare_UnknownBirthDate_MatchesOnItsKnownPartsOnly()
    {
        var unknown = Takahashi with { BirthDate = BirthDate.ParseCompact("19700000").Value };
        PersonComparer.BuiltIn.Compare(Row(), unknown).Evidence.Single(e => e.Field == "生年月日").Level.ShouldBe("一致(不詳部分を除く)");
        PersonComparer.BuiltIn.Compare(Row(birth: "1971-03-12"), unknown).Evidence.Single(e => e.Field == "生年月日").Level.ShouldBe("不一致");
    }
}

/// <summary>On a generated city, the person the truth names outscores the relatives and namesakes beside them.</summary>
public class PersonComparerOnGeneratedCityTests(GeneratedCity city) : IClassFixture<GeneratedCity>
{
    [Fact]
    public void TruePerson_OutscoresEveryOtherMemberAtTheSameAddressOrWithTheSameKana()
    {
        var members = File.ReadAllLines(city.File(CityFiles.MembersFile)).Skip(1).Select(l => l.Split(','))
            .GroupBy(m => m[0]).Select(g => g.First())
            .Select(m => new Candidate(m[0], m[1].Length == 0 ? null : m[1], m[2], m[3], BirthDate.ParseCompact(m[4]).Value, int.Parse(m[5], CultureInfo.InvariantCulture),
                m[7], null, m[3].Length > 0 && !m[2].Contains('　')))
            .ToList();
        var byAtena = members.ToDictionary(m => m.AtenaNumber);
        var neighbours = members.ToLookup(m => AddressCanon.Parse(m.Address).Canonical);
        var namesakes = members.ToLookup(m => KanaKey.Loose(KanaKey.Small(KanaKey.Width(m.NameKana))));
        var jps = File.ReadAllLines(city.File(CityFiles.JpsCsvFile), TextEncodings.Cp932Strict).Skip(1).Select(l => l.Split(',')).ToList();

        var compared = 0;
        var wrong = new List<string>();
        foreach (var truth in city.Truth().Where(t => t[0] == "jps" && t[2].Length > 0 && !t[3].Contains("wrong-pension-number")))
        {
            var r = jps[int.Parse(truth[1], CultureInfo.InvariantCulture) - 1];
            var row = new ReportedIdentity(r[4].Length == 0 ? null : r[4], r[5], r[6], WarekiCodec.Jps.Parse(r[7]).Value, int.Parse(r[8], CultureInfo.InvariantCulture), r[10], null);
            var truePerson = byAtena[truth[2]];
            var best = PersonComparer.BuiltIn.Compare(row, truePerson).Score;
            var rivals = neighbours[AddressCanon.Parse(truePerson.Address).Canonical].Concat(namesakes[KanaKey.Loose(KanaKey.Small(KanaKey.Width(truePerson.NameKana)))])
                .Where(m => m.AtenaNumber != truePerson.AtenaNumber).Distinct();
            foreach (var rival in rivals)
            {
                compared++;
                if (PersonComparer.BuiltIn.Compare(row, rival).Score >= best) wrong.Add($"line {truth[1]} ({truth[3]}): {rival.AtenaNumber} ≥ {truePerson.AtenaNumber}");
            }
        }
        compared.ShouldBeGreaterThan(500);
        wrong.ShouldBeEmpty();
    }
}
