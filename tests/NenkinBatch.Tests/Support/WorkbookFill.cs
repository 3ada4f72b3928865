using MiniExcelLibs;
using NenkinBatch.Formats.Reports;

namespace NenkinBatch.Tests.Support;

/// <summary>
/// A clerk's hand on the workbook, with another library than the one that wrote it (MiniExcel): every sheet read as rows by
/// header, decisions filled where <c>fill</c> says, and a new workbook written — sheets in reverse order and each sheet's rows
/// reversed, shared strings and styles as MiniExcel writes them — as a spreadsheet program that re-saves a file would.
/// </summary>
internal static class WorkbookFill
{
    /// <param name="fill">For a decision sheet's row (cells by header), the 判断 and the 宛名番号（職員入力） to write, or null to leave it.</param>
    public static void WithMiniExcel(string source, string target, Func<string, IReadOnlyDictionary<string, object?>, (string? Choice, object? Atena)?> fill)
    {
        var sheets = new Dictionary<string, object>();
        foreach (var name in MiniExcel.GetSheetNames(source).AsEnumerable().Reverse())
        {
            var rows = MiniExcel.Query(source, useHeaderRow: true, sheetName: name).Cast<IDictionary<string, object?>>()
                .Select(r => new Dictionary<string, object?>(r, StringComparer.Ordinal)).ToList();
            foreach (var row in rows)
            {
                if (!row.ContainsKey(DecisionColumns.Fingerprint) || fill(name, row) is not { } decision) continue;
                if (decision.Choice is { } choice) row[DecisionColumns.Choice] = choice;
                if (decision.Atena is { } atena) row[DecisionColumns.ClerkAtena] = atena;
            }
            rows.Reverse();
            sheets[name] = rows;
        }
        MiniExcel.SaveAs(target, sheets, overwriteFile: true);
    }
}
