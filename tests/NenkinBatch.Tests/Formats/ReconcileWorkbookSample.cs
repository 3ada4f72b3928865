using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using NenkinBatch.Domain;
using NenkinBatch.Formats.Reports;

namespace NenkinBatch.Tests.Formats;

/// <summary>
/// A report like the one nenkin-reconcile writes, made with <see cref="ReconcileReport"/> itself from rows built here: every
/// 判定, fingerprints on the rows a clerk decides, a 基礎年金番号 with a leading zero, names a spreadsheet would run as
/// formulas, a 不詳 birth date, long evidence to wrap, and enough 要確認 rows to fill several printed pages.
/// </summary>
internal static class ReconcileWorkbookSample
{
    public const long RunId = 42;
    public const long FileId = 7;
    public const string LeadingZero = "0123456789";
    public const string UnknownBirth = "1970-03-??（不詳）";
    public static readonly string[] InjectionNames = ["=HYPERLINK(\"x\")", "+1", "-1", "@x"];

    public static readonly IReadOnlyList<(string Label, string Value)> Summary =
    [
        ("実行番号", RunId.ToString(CultureInfo.InvariantCulture)),
        ("作成日時", "2026-04-01 09:30"),
        ("一覧表", "jps-result.csv"),
        ("モード", "ドライラン（何も変更していません）"),
        ("照合行数", "80"),
    ];

    private const string LongEvidence = "基礎年金番号一致(+16.6); カナ氏名一致(全角半角)(+10.6); 漢字氏名一致(異体字)(+8.2); 生年月日一致(+9.9); 性別一致(+1.2); 住所一致(同一町丁目)(+5.5)";

    public static List<ReconcileReportRow> Rows(int reviewRows = 60)
    {
        var rows = new List<ReconcileReportRow>();
        var line = 1;
        for (var i = 0; i < 5; i++) rows.Add(Row(Verdict.Match, line++, $"10000000{i:D2}", "山田　太郎", new DateOnly(1960, 1, 2 + i)));
        rows.Add(Row(Verdict.Differs, line++, LeadingZero, InjectionNames[0], new DateOnly(1943, 9, 6)) with
        {
            Differences = "基礎年金番号: 機構=0123456789 市=なし; 氏名: 機構は旧氏名（2026-01-26まで）; 住所: 機構=東京都中央区日本橋一丁目二番三号 市=東京都中央区日本橋二丁目四番五号",
            Action = "市の記録に基礎年金番号を記録; 氏名変更が機構に届いているか確認する; 機構の処理済を記録",
        });
        rows.Add(Row(Verdict.Differs, line++, "7312135018", "佐藤　結衣", new DateOnly(1989, 1, 8)));
        rows.Add(Row(Verdict.NotOnFile, line++, "2000000001", InjectionNames[1], new DateOnly(2001, 2, 3)) with { Score = "", Evidence = "" });
        rows.Add(Row(Verdict.NotOnFile, line++, "2000000002", InjectionNames[2], new DateOnly(1999, 12, 31)) with { Score = "", Evidence = "" });
        for (var i = 0; i < reviewRows; i++)
        {
            var name = i == 0 ? InjectionNames[3] : i % 7 == 3 ? "長谷川　勘解由小路　左衛門之助" : $"鈴木　一郎{i}";
            rows.Add(Row(Verdict.Review, line++, $"30000{i:D5}", name, new DateOnly(1950 + i % 50, 1 + i % 12, 1 + i % 28)) with
            {
                Differences = "候補が2人（一致度の差が小さい）",
                OtherCandidates = $"10000{i:D5}(12.3); 10001{i:D5}(11.9)",
                Action = "候補と住基の記録を確認し、該当者を決めて手作業で照合する",
            });
        }
        rows.Add(Row(Verdict.Returned, line++, "4000000001", "高橋　花子", new DateOnly(1975, 5, 5)) with { Differences = "返戻理由: E01 添付書類不足" });
        rows.Add(Row(Verdict.Unreflected, 0, "", "田中　次郎", null) with { BirthDate = UnknownBirth, File = "jps-result.csv", Line = "", Result = "" });
        rows.Add(Row(Verdict.Unreflected, 0, "5000000001", "伊藤　三郎", new DateOnly(1980, 8, 15)) with { Line = "", Result = "" });
        return rows.Select(r => DecisionColumns.IsDecidable(r.Verdict)
            ? r with { Fingerprint = RowFingerprint.Of(RunId, FileId, long.Parse(r.Line, CultureInfo.InvariantCulture), r.Cells()) }
            : r).ToList();
    }

    private static ReconcileReportRow Row(Verdict verdict, int line, string pension, string name, DateOnly? birth) =>
        new(RunId.ToString(CultureInfo.InvariantCulture), "jps-result.csv", line == 0 ? "" : line.ToString(CultureInfo.InvariantCulture), "01 資格取得届", "処理済",
            pension, name, "ﾔﾏﾀﾞ ﾀﾛｳ", birth is { } b ? WarekiCodec.Describe(b) : UnknownBirth, verdict,
            verdict is Verdict.Match or Verdict.Differs or Verdict.Unreflected ? $"10000{line:D5}" : "", verdict is Verdict.NotOnFile or Verdict.Unreflected ? "" : "15.2",
            verdict is Verdict.Unreflected ? "" : LongEvidence, "", "機構の処理済を記録", "")
        { BirthDateValue = birth };

    /// <summary>Writes the rows as nenkin-reconcile would and returns the two files' paths.</summary>
    public static async Task<(string Csv, string Xlsx)> WriteAsync(string directory, IEnumerable<ReconcileReportRow> rows)
    {
        await using var report = new ReconcileReport(directory, RunId);
        foreach (var row in rows) report.Add(row);
        await report.CompleteAsync(Summary, publish: true, CancellationToken.None);
        return (report.CsvPath, report.XlsxPath);
    }

    /// <summary>Writes into a data row's cell under a header, as a string or a number, through the SDK.</summary>
    public static void Type(SpreadsheetDocument document, string sheetName, int dataRow, string header, string value, bool number)
    {
        var book = document.WorkbookPart!;
        var sheet = ((WorksheetPart)book.GetPartById(book.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName).Id!)).Worksheet;
        var rows = sheet.GetFirstChild<SheetData>()!.Elements<Row>().ToList();
        var column = rows[0].Elements<Cell>().ToList().FindIndex(c => c.InnerText == header);
        column.ShouldBeGreaterThanOrEqualTo(0);
        var cell = rows[dataRow].Elements<Cell>().ElementAt(column);
        cell.RemoveAllChildren();
        if (number)
        {
            cell.DataType = null;
            cell.CellValue = new CellValue(value);
        }
        else
        {
            cell.DataType = CellValues.InlineString;
            cell.InlineString = new InlineString(new Text(value));
        }
    }
}
