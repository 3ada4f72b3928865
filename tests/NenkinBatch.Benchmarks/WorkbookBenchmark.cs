using System.Diagnostics;
using System.Globalization;
using Microsoft.VisualBasic.FileIO;
using NenkinBatch.Formats.Reports;

namespace NenkinBatch.Benchmarks;

/// <summary>
/// The report writer alone, no database: the rows of an earlier reconcile report (its CSV) are written again as the job
/// writes them — the CSV and the spills row by row, then the clerk's workbook — and each half is timed.
/// </summary>
internal static class WorkbookBenchmark
{
    public static async Task<int> RunAsync(string csvPath, string outDirectory)
    {
        var labels = Verdicts.All.ToDictionary(v => v.Label(), v => v);
        var rows = new List<ReconcileReportRow>();
        using (var reader = new TextFieldParser(csvPath, System.Text.Encoding.UTF8) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false })
        {
            reader.SetDelimiters(",");
            reader.ReadFields();
            while (reader.ReadFields() is { } c)
            {
                var verdict = labels[c[9]];
                var row = new ReconcileReportRow(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], verdict, c[10], c[11], c[12], c[13], c[14], c[15])
                {
                    BirthDateValue = c[8].Length >= 10 && DateOnly.TryParseExact(c[8][..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth) ? birth : null,
                };
                if (DecisionColumns.IsDecidable(verdict))
                    row = row with { Fingerprint = RowFingerprint.Of(1, 1, long.Parse(c[2], CultureInfo.InvariantCulture), row.Cells()) };
                rows.Add(row);
            }
        }
        var stopwatch = Stopwatch.StartNew();
        await using (var report = new ReconcileReport(outDirectory, 1))
        {
            foreach (var row in rows) report.Add(row);
            var added = stopwatch.Elapsed.TotalSeconds;
            stopwatch.Restart();
            await report.CompleteAsync([("実行番号", "1")], publish: true, default);
            var workbook = stopwatch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"workbook rows={rows.Count:N0} csv+spill={added:F2} s workbook={workbook:F2} s size={new FileInfo(report.XlsxPath).Length / 1048576.0:F1} MB"));
        }
        return 0;
    }
}
