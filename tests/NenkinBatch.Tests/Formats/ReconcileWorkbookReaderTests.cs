using System.IO.Compression;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using MiniExcelLibs;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Reports;

namespace NenkinBatch.Tests.Formats;

/// <summary>
/// Decisions read back from the clerk's workbook after another program saved it (docs/formats.md, "The clerk's
/// workbook"): here MiniExcel, a library unlike the writer (formula-string cells, its own layout, no styles).
/// </summary>
public class ReconcileWorkbookReaderTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nenkin-workbook-read-").FullName;
    private readonly List<ReconcileReportRow> _rows = ReconcileWorkbookSample.Rows(reviewRows: 12);
    private string _xlsx = "";

    public async Task InitializeAsync() => (_, _xlsx) = await ReconcileWorkbookSample.WriteAsync(_directory, _rows);

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, true);
        return Task.CompletedTask;
    }

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static List<Dictionary<string, object?>> Query(string path, string sheet, bool header) =>
        MiniExcel.Query(path, useHeaderRow: header, sheetName: sheet).Cast<IDictionary<string, object?>>().Select(r => new Dictionary<string, object?>(r)).ToList();

    private string FingerprintOf(Verdict verdict, int index) => _rows.Where(r => r.Verdict == verdict).ElementAt(index).Fingerprint!.Value.ToString();

    [Fact]
    public void DecisionsFilledByAnotherLibrary_SheetsReorderedAndRenamed_RowsResorted_ComeBackWithTheirFingerprints()
    {
        var names = MiniExcel.GetSheetNames(_xlsx);
        names.ShouldBe(["集計", "差異あり", "市未登録", "要確認", "返戻", "機構未反映"]);
        var sheets = names.ToDictionary(n => n, n => Query(_xlsx, n, header: n != "集計"));
        var review = sheets["要確認"];
        review.Count.ShouldBe(12);
        review.ShouldAllBe(r => r.ContainsKey(DecisionColumns.Choice) && r.ContainsKey(DecisionColumns.ClerkAtena) && r.ContainsKey(DecisionColumns.Fingerprint));

        // The clerk sorts 要確認 by 氏名 descending and decides three rows, one with stray spaces and one with a word of their own.
        review = [.. review.OrderByDescending(r => (string?)r["氏名"], StringComparer.Ordinal)];
        Dictionary<string, object?> Row(List<Dictionary<string, object?>> sheet, string fingerprint) => sheet.Single(r => (string?)r[DecisionColumns.Fingerprint] == fingerprint);
        Row(review, FingerprintOf(Verdict.Review, 0))[DecisionColumns.Choice] = DecisionColumns.Candidate1;
        Row(review, FingerprintOf(Verdict.Review, 5))[DecisionColumns.Choice] = "  " + DecisionColumns.Different + "　";
        Row(review, FingerprintOf(Verdict.Review, 7))[DecisionColumns.Choice] = "たぶん候補2";
        // 市未登録: a 宛名番号 typed as a number, which a spreadsheet keeps as one.
        var notOnFile = sheets["市未登録"];
        Row(notOnFile, FingerprintOf(Verdict.NotOnFile, 1))[DecisionColumns.ClerkAtena] = 1000000123L;

        var saved = PathOf("decided.xlsx");
        MiniExcel.SaveAs(saved, new Dictionary<string, object>
        {
            ["要確認"] = review,
            ["返戻"] = sheets["返戻"],
            ["市未登録（確認済）"] = notOnFile,
            ["集計"] = sheets["集計"],
            ["差異あり"] = sheets["差異あり"],
        });

        var decisions = ReconcileWorkbookReader.Read(saved);

        int RowOf(List<Dictionary<string, object?>> sheet, string fingerprint) => sheet.IndexOf(Row(sheet, fingerprint)) + 2;
        var expected = new[] { (Verdict.Review, 0, DecisionColumns.Candidate1, ""), (Verdict.Review, 5, DecisionColumns.Different, ""), (Verdict.Review, 7, "たぶん候補2", "") }
            .Select(d => new WorkbookDecision("要確認", RowOf(review, FingerprintOf(d.Item1, d.Item2)), FingerprintOf(d.Item1, d.Item2), d.Item3, d.Item4))
            .OrderBy(d => d.Row)
            .Append(new WorkbookDecision("市未登録（確認済）", RowOf(notOnFile, FingerprintOf(Verdict.NotOnFile, 1)), FingerprintOf(Verdict.NotOnFile, 1), "", "1000000123"))
            .ToList();
        decisions.ShouldBe(expected);
        // Sorted descending by name, the first decided row is no longer where it was written.
        decisions[0].Row.ShouldNotBe(2);
        RowFingerprint.TryParse(decisions[^1].FingerprintText, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(_rows.Where(r => r.Verdict == Verdict.NotOnFile).ElementAt(1).Fingerprint!.Value);
    }

    [Fact]
    public void ANumberWithAnExponent_ASharedStringWithItsReading_ReadAsTheClerkTypedThem()
    {
        var edited = PathOf("typed.xlsx");
        File.Copy(_xlsx, edited);
        using (var document = SpreadsheetDocument.Open(edited, isEditable: true))
        {
            ReconcileWorkbookSample.Type(document, "市未登録", 1, DecisionColumns.ClerkAtena, "1.000000123E9", number: true);
            // Japanese Excel keeps a text's reading (ふりがな) beside it in the shared table: not part of the text.
            var book = document.WorkbookPart!;
            var table = book.AddNewPart<SharedStringTablePart>();
            table.SharedStringTable = new SharedStringTable(new SharedStringItem(
                new Run(new Text(DecisionColumns.Candidate3)), new PhoneticRun(new Text("こうほさん")) { BaseTextStartIndex = 0, EndingBaseIndex = 2 }));
            ReconcileWorkbookSample.Type(document, "要確認", 2, DecisionColumns.Choice, "", number: false);
            var sheet = ((WorksheetPart)book.GetPartById(book.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "要確認").Id!)).Worksheet;
            var header = sheet.GetFirstChild<SheetData>()!.Elements<Row>().First().Elements<Cell>().ToList().FindIndex(c => c.InnerText == DecisionColumns.Choice);
            var cell = sheet.GetFirstChild<SheetData>()!.Elements<Row>().ElementAt(2).Elements<Cell>().ElementAt(header);
            cell.RemoveAllChildren();
            cell.DataType = CellValues.SharedString;
            cell.CellValue = new CellValue("0");
        }

        ReconcileWorkbookReader.Read(edited).ShouldBe(
        [
            new WorkbookDecision("市未登録", 2, FingerprintOf(Verdict.NotOnFile, 0), "", "1000000123"),
            new WorkbookDecision("要確認", 3, FingerprintOf(Verdict.Review, 1), DecisionColumns.Candidate3, ""),
        ]);
    }

    [Fact]
    public void AFreshWorkbook_HasNoDecisions()
    {
        ReconcileWorkbookReader.Read(_xlsx).ShouldBeEmpty();
    }

    [Fact]
    public void ADecisionWithoutAFingerprint_IsNotADecision()
    {
        var review = Query(_xlsx, "要確認", header: true);
        review[0][DecisionColumns.Choice] = DecisionColumns.Hold;
        review[0][DecisionColumns.Fingerprint] = null;
        review[1][DecisionColumns.Choice] = DecisionColumns.Hold;
        var saved = PathOf("no-fingerprint.xlsx");
        MiniExcel.SaveAs(saved, new Dictionary<string, object> { ["要確認"] = review });

        ReconcileWorkbookReader.Read(saved).Select(d => d.FingerprintText).ShouldBe([(string)review[1][DecisionColumns.Fingerprint]!]);
    }

    [Fact]
    public void NotAZip_Refused_NamingTheFileAndWhatToDo()
    {
        var path = PathOf("判断.xlsx");
        File.WriteAllText(path, "実行番号,ファイル\r\n42,jps-result.csv\r\n");

        var refused = Should.Throw<InputRejectedException>(() => ReconcileWorkbookReader.Read(path));

        refused.File.ShouldBe("判断.xlsx");
        refused.Reason.ShouldContain("Excel のブック（.xlsx）として読めません");
        refused.WhatToDo.ShouldContain("保存し直して");
    }

    [Fact]
    public void AZipThatIsNoWorkbook_Refused()
    {
        var path = PathOf("archive.xlsx");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var writer = new StreamWriter(zip.CreateEntry("readme.txt").Open());
            writer.Write("not a workbook");
        }

        Should.Throw<InputRejectedException>(() => ReconcileWorkbookReader.Read(path)).Reason.ShouldContain("Excel のブック（.xlsx）として読めません");
    }

    [Fact]
    public void AWorkbookWithoutDecisionSheets_Refused_SayingWhichHeadersAreLookedFor()
    {
        var path = PathOf("other.xlsx");
        MiniExcel.SaveAs(path, new Dictionary<string, object>
        {
            ["要確認"] = new[] { new Dictionary<string, object?> { ["氏名"] = "山田　太郎", [DecisionColumns.Choice] = DecisionColumns.Candidate1 } },
        });

        var refused = Should.Throw<InputRejectedException>(() => ReconcileWorkbookReader.Read(path));

        refused.Reason.ShouldContain(DecisionColumns.Fingerprint);
        refused.WhatToDo.ShouldContain("reconcile-<実行番号>.xlsx");
    }
}
