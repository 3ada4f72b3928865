using NenkinBatch.Formats.Reports;
using NenkinBatch.Synthetic;

namespace NenkinBatch.Tests.Synthetic;

/// <summary>The accuracy measure on a hand-made truth and report: each row counted where it belongs.</summary>
public class MatchAccuracyTests
{
    private static readonly string[] Truth =
    [
        "jps,1,1000000019,twin;notation:hyphen,",                       // right
        "jps,2,1000000027,twin,",                                       // matched to the twin: wrong
        "jps,3,1000000035,old-address:no-history,",                     // 要確認
        "jps,4,1000000043,maiden-name,",                                // 市未登録
        "jps,5,,namesake-not-on-file;namesake-not-on-file:no-number,",  // matched: wrong
        "jps,6,,relative-not-on-file,1000000051",                       // matched to the relative: right once the register is synced
        "jps,7,1000000068,foreign;alphabet-typo,",                      // misspelt, 要確認: found
        "jps,8,1000000076,foreign;kana-typo;old-address,",              // misspelt, but the address disagrees too: not counted as misspelt
        "jps,9,1000000084,foreign;alphabet-swapped,",                   // misspelt, 市未登録: lost
        "jps,10,,nobody-on-file;returned,",                             // 返戻 without a match
    ];

    // ファイル, 行番号 (the file's line: data row + 1), 判定, 宛名番号, 一致度, 差異
    private static readonly (int Line, Verdict Verdict, string Atena, string Score, string Differences)[] Report =
    [
        (2, Verdict.Match, "1000000019", "40.0", ""),
        (3, Verdict.Match, "1000000035", "30.0", ""),
        (4, Verdict.Review, "", "15.0", "一致度 15.0 が自動照合の基準 22.0 に届きません"),
        (5, Verdict.NotOnFile, "", "", ""),
        (6, Verdict.Differs, "1000000092", "25.0", "住所: 機構=… 市=…"),
        (7, Verdict.Match, "1000000051", "30.0", ""),
        (8, Verdict.Review, "", "12.5", "一致度 12.5 が自動照合の基準 22.0 に届きません"),
        (9, Verdict.Review, "", "30.0", "候補 1000000100（一致度 29.0）と差がありません"),
        (10, Verdict.NotOnFile, "", "", ""),
        (11, Verdict.Returned, "", "", "返戻理由: E101 記載事項不備"),
    ];

    private static async Task<MatchAccuracy> MeasureAsync(bool registerSynced)
    {
        var directory = Directory.CreateTempSubdirectory("nenkin-accuracy-").FullName;
        try
        {
            var truth = Path.Combine(directory, "truth.csv");
            await File.WriteAllLinesAsync(truth, [string.Join(",", CityFiles.TruthColumns), .. Truth]);
            var report = Path.Combine(directory, "reconcile-1.csv");
            await File.WriteAllLinesAsync(report, [string.Join(",", ReconcileReportRow.Headers), .. Report.Select(r => string.Join(",",
                new ReconcileReportRow("1", CityFiles.JpsCsvFile, r.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), "", "", "", "", "", "",
                    r.Verdict, r.Atena, r.Score, "", r.Differences, "", "").Cells()))]);
            return await MatchAccuracy.MeasureAsync(truth, report, CityFiles.JpsCsvFile, registerSynced);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [Fact]
    public async Task EachRowCountedWhereItBelongs()
    {
        var accuracy = await MeasureAsync(registerSynced: true);

        (accuracy.Rows, accuracy.OnFileRows, accuracy.Automatic, accuracy.AutomaticCorrect, accuracy.Review).ShouldBe((10L, 8L, 4L, 2L, 3L));
        accuracy.WrongByCase.ShouldBe(new SortedDictionary<string, long>(StringComparer.Ordinal)
            { ["namesake-not-on-file"] = 1, ["namesake-not-on-file:no-number"] = 1, ["twin"] = 1 });
        var twin = accuracy.OnFileByCase["twin"];
        (twin.Rows, twin.Right, twin.Wrong).ShouldBe((2L, 1L, 1L));
        accuracy.OnFileByCase["relative-not-on-file"].Right.ShouldBe(1);
        accuracy.OnFileByCase["old-address:no-history"].Review.ShouldBe(1);
        accuracy.OnFileByCase["maiden-name"].NotOnFile.ShouldBe(1);
        accuracy.NobodyByCase["returned"].Returned.ShouldBe(1);
        accuracy.ReviewByReason.ShouldBe(new SortedDictionary<string, long>(StringComparer.Ordinal)
            { ["一致度 # が自動照合の基準 # に届きません"] = 2, ["候補 #（一致度 #）と差がありません"] = 1 });
        (accuracy.Misspelt.Rows, accuracy.Misspelt.Found).ShouldBe((2L, 1L));
        accuracy.MisspeltByCase.Keys.ShouldBe(["alphabet-swapped", "alphabet-typo"]);
        accuracy.ToString().ShouldContain("wrong automatic 2 (0) NOT MET");

        // Without the register, the relative is nobody on file: matching them is a wrong match.
        var membersOnly = await MeasureAsync(registerSynced: false);
        (membersOnly.OnFileRows, membersOnly.AutomaticCorrect).ShouldBe((7L, 1L));
        membersOnly.WrongByCase["relative-not-on-file"].ShouldBe(1);
    }

    [Fact]
    public async Task Seeds_SumToOne()
    {
        var one = await MeasureAsync(registerSynced: true);
        var sum = MatchAccuracy.Sum([one, one]);
        (sum.Rows, sum.Automatic, sum.Review, sum.Misspelt.Rows, sum.OnFileByCase["twin"].Wrong, sum.ReviewByReason.Values.Sum()).ShouldBe((20L, 8L, 6L, 4L, 2L, 6L));
        sum.Precision.ShouldBe(one.Precision);
        sum.Details().ShouldContain("namesake-not-on-file");
    }
}
