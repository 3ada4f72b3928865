using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using NenkinBatch.Formats.Reports;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Formats;

/// <summary>
/// The clerk's workbook through LibreOffice (Debian's libreoffice-calc-nogui): every sheet reads back with the report's
/// rows, it prints landscape on A4, and decisions survive LibreOffice saving the workbook. These tests need
/// <c>soffice</c> and fail, never skip, without it (tests/run.sh and .ci/run install it).
/// </summary>
public class ReconcileWorkbookLibreOfficeTests : IAsyncLifetime
{
    // A LibreOffice CSV export: comma, double quote, UTF-8, from line 1, cells as stored; the twelfth token -1 writes every
    // sheet to a file of its own, <name>-<sheet>.csv (LibreOffice 7.2 and later).
    private const string CsvEverySheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";

    private readonly string _directory = Directory.CreateTempSubdirectory("nenkin-workbook-lo-").FullName;
    private readonly List<ReconcileReportRow> _rows = ReconcileWorkbookSample.Rows(reviewRows: 150);
    private string _csv = "", _xlsx = "";

    public async Task InitializeAsync() => (_csv, _xlsx) = await ReconcileWorkbookSample.WriteAsync(Path.Combine(_directory, "report"), _rows);

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, true);
        return Task.CompletedTask;
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_directory, name)).FullName;

    [Fact]
    public async Task EverySheet_ReadByLibreOffice_HasTheReportsRowsOfItsVerdict()
    {
        var output = Folder("csv");
        await Soffice.ConvertAsync(_xlsx, CsvEverySheet, output);

        var report = Csv.Read(_csv);
        report[0].ShouldBe(ReconcileReportRow.Headers);
        var verdictColumn = ReconcileReportRow.Headers.ToList().IndexOf("判定");
        foreach (var verdict in Verdicts.All.Where(v => v != Verdict.Match))
        {
            var file = Path.Combine(output, $"{Path.GetFileNameWithoutExtension(_xlsx)}-{verdict.Label()}.csv");
            File.Exists(file).ShouldBeTrue($"LibreOffice wrote no {Path.GetFileName(file)} (one CSV per sheet needs LibreOffice 7.2 or later); it wrote: {string.Join(", ", Directory.GetFiles(output).Select(Path.GetFileName))}");
            var sheet = Csv.Read(file);
            var header = sheet[0];
            header.ShouldBe(ReconcileWorkbook.HeadersOf(verdict), verdict.Label());
            var expected = report.Skip(1).Where(r => r[verdictColumn] == verdict.Label()).ToList();
            var rows = sheet.Skip(1).ToList();
            rows.Count.ShouldBe(expected.Count, verdict.Label());
            string Column(IReadOnlyList<string> row, IReadOnlyList<string> headers, string name) => row[headers.ToList().IndexOf(name)];
            foreach (var name in new[] { "基礎年金番号", "氏名", "行番号", "宛名番号" })
                rows.Select(r => Column(r, header, name)).ShouldBe(expected.Select(r => Csv.AsTyped(Column(r, ReconcileReportRow.Headers, name))), $"{verdict.Label()} {name}");
            // The 和暦 column is the report's 生年月日 as it was; the date beside it, the same day or nothing for 不詳.
            rows.Select(r => Column(r, header, ReconcileWorkbook.WarekiHeader)).ShouldBe(expected.Select(r => Column(r, ReconcileReportRow.Headers, "生年月日")));
            rows.Select(r => Column(r, header, "生年月日")).ShouldBe(expected.Select(r => Column(r, ReconcileReportRow.Headers, "生年月日") is var birth && birth.EndsWith('）') && !birth.Contains("不詳", StringComparison.Ordinal) ? birth[..10] : ""));
        }
        var summary = Csv.Read(Path.Combine(output, $"{Path.GetFileNameWithoutExtension(_xlsx)}-集計.csv"));
        foreach (var verdict in Verdicts.All)
            summary.ShouldContain(r => r[0] == verdict.Label() && r[1] == _rows.Count(x => x.Verdict == verdict).ToString(CultureInfo.InvariantCulture), verdict.Label());
    }

    [Fact]
    public async Task PrintedByLibreOffice_LandscapeA4Pages_TheLongSheetOnSeveral()
    {
        var output = Folder("pdf");
        await Soffice.ConvertAsync(_xlsx, "pdf", output);

        var pdf = Encoding.Latin1.GetString(await File.ReadAllBytesAsync(Path.Combine(output, Path.ChangeExtension(Path.GetFileName(_xlsx), ".pdf"))));
        pdf.ShouldStartWith("%PDF");
        var pages = Regex.Matches(pdf, @"/Type\s*/Page(?![s\w])").Count;
        // A page for each short sheet, and 150 要確認 rows, one page wide, need more than one.
        pages.ShouldBeGreaterThan(6);
        var boxes = Regex.Matches(pdf, @"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]").Select(m => (Width: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Height: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).ToList();
        boxes.ShouldNotBeEmpty();
        // A4 landscape: 842 × 595 points.
        boxes.ShouldAllBe(b => Math.Abs(b.Width - 841.9) < 1 && Math.Abs(b.Height - 595.3) < 1);
    }

    [Fact]
    public async Task DecisionsTypedIntoTheCells_SurviveLibreOfficeSavingTheWorkbook()
    {
        var edited = Path.Combine(Folder("edited"), "decided.xlsx");
        File.Copy(_xlsx, edited);
        var review = _rows.Where(r => r.Verdict == Verdict.Review).ToList();
        var notOnFile = _rows.Where(r => r.Verdict == Verdict.NotOnFile).ToList();
        using (var document = SpreadsheetDocument.Open(edited, isEditable: true))
        {
            // As Excel stores what a clerk types: a word as a string, a 宛名番号 in the text-formatted cell as text, one typed
            // where the format was lost as a number.
            ReconcileWorkbookSample.Type(document, "要確認", 3, DecisionColumns.Choice, DecisionColumns.Candidate2, number: false);
            ReconcileWorkbookSample.Type(document, "要確認", 120, DecisionColumns.Choice, DecisionColumns.Hold, number: false);
            ReconcileWorkbookSample.Type(document, "要確認", 120, DecisionColumns.ClerkAtena, "1000000777", number: false);
            ReconcileWorkbookSample.Type(document, "市未登録", 2, DecisionColumns.ClerkAtena, "1.000000456E9", number: true);
        }
        var output = Folder("saved");
        await Soffice.ConvertAsync(edited, "xlsx", output);
        var saved = Path.Combine(output, "decided.xlsx");
        using (var document = SpreadsheetDocument.Open(saved, isEditable: false))
        {
            // LibreOffice rewrote the workbook: its texts are in a shared table now.
            document.WorkbookPart!.SharedStringTablePart.ShouldNotBeNull();
        }

        ReconcileWorkbookReader.Read(saved).ShouldBe(
        [
            new WorkbookDecision("市未登録", 3, notOnFile[1].Fingerprint!.Value.ToString(), "", "1000000456"),
            new WorkbookDecision("要確認", 4, review[2].Fingerprint!.Value.ToString(), DecisionColumns.Candidate2, ""),
            new WorkbookDecision("要確認", 121, review[119].Fingerprint!.Value.ToString(), DecisionColumns.Hold, "1000000777"),
        ], ignoreOrder: true);
    }

    /// <summary>Just enough RFC 4180 to read the report and LibreOffice's exports (quotes, doubled quotes, CRLF or LF).</summary>
    private static class Csv
    {
        public static List<string[]> Read(string path)
        {
            var text = File.ReadAllText(path, Encoding.UTF8).TrimStart('\uFEFF');
            var rows = new List<string[]>();
            var row = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                    else if (c == '"') quoted = false;
                    else field.Append(c);
                }
                else if (c == '"') quoted = true;
                else if (c == ',')
                {
                    row.Add(field.ToString());
                    field.Clear();
                }
                else if (c is '\r' or '\n')
                {
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                    row.Add(field.ToString());
                    field.Clear();
                    rows.Add([.. row]);
                    row.Clear();
                }
                else field.Append(c);
            }
            if (field.Length > 0 || row.Count > 0)
            {
                row.Add(field.ToString());
                rows.Add([.. row]);
            }
            return rows;
        }

        /// <summary>A report CSV cell as the workbook holds it: without the <c>'</c> the CSV puts before what a spreadsheet would run.</summary>
        public static string AsTyped(string cell) => cell.Length > 1 && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? cell[1..] : cell;
    }
}
