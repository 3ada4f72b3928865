using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Formats;
using NenkinBatch.Persistence.Juki;
using SpreadCheetah;
using SpreadCheetah.Worksheets;

namespace NenkinBatch.Jobs.JukiSync;

/// <summary>
/// The run's list of follow-ups for the 健康保険課: <c>juki-followups-RUN.csv</c> (UTF-8 with BOM, formula injection neutralised) and the
/// same as a workbook. One row per follow-up the run raised or closed. It holds no address at all (a follow-up's texts never do),
/// so a person under 支援措置 is safe on it; a 個人番号 never reaches it.
/// </summary>
public static class FollowUpList
{
    public static readonly IReadOnlyList<string> Headers =
        ["状態", "種類", "宛名番号", "氏名", "異動事由", "異動日", "履歴番号", "内容", "対応", "期限", "ファイル", "行番号"];

    private static readonly double[] Widths = [8, 16, 14, 20, 16, 12, 8, 50, 70, 12, 24, 8];

    public static string StatusLabel(string status) => status switch
    {
        FollowUpStatus.Open => "未対応",
        FollowUpStatus.Withdrawn => "取下げ",
        FollowUpStatus.Resolved => "解消",
        _ => status,
    };

    /// <returns>The paths of the CSV and the workbook.</returns>
    public static async Task<(string Csv, string Xlsx)> WriteAsync(string directory, long runId, IReadOnlyList<ListedFollowUp> followUps, bool dryRun,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var name = $"juki-followups-{runId.ToString(CultureInfo.InvariantCulture)}{(dryRun ? "-dryrun" : "")}";
        var csvPath = Path.Combine(directory, name + ".csv");
        var xlsxPath = Path.Combine(directory, name + ".xlsx");
        var rows = followUps.Select(Cells).ToList();
        await using (var csv = CsvOutput.ForSpreadsheet(csvPath + ".partial"))
        {
            csv.Write(Headers);
            foreach (var row in rows) csv.Write(row);
        }
        await using (var stream = new FileStream(xlsxPath + ".partial", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        await using (var book = await Spreadsheet.CreateNewAsync(stream, cancellationToken: cancellationToken))
        {
            var options = new WorksheetOptions { FrozenRows = 1 };
            for (var i = 0; i < Widths.Length; i++) options.Column(i + 1).Width = Widths[i];
            await book.StartWorksheetAsync("要対応", options, cancellationToken);
            await book.AddRowAsync(Headers.Select(h => new Cell(h)).ToArray(), cancellationToken);
            foreach (var row in rows) await book.AddRowAsync(row.Select(v => new Cell(v)).ToArray(), cancellationToken);
            await book.FinishAsync(cancellationToken);
        }
        File.Move(csvPath + ".partial", csvPath, overwrite: true);
        File.Move(xlsxPath + ".partial", xlsxPath, overwrite: true);
        return (csvPath, xlsxPath);
    }

    private static string[] Cells(ListedFollowUp listed)
    {
        var f = listed.FollowUp;
        return
        [
            StatusLabel(listed.Status), FollowUpRules.KindLabel(f.Kind), f.AtenaNumber ?? "", listed.Name ?? "", f.ChangeReason ?? "",
            f.ChangedOn is { } changed ? Day(changed) : "", f.HistoryNumber?.ToString(CultureInfo.InvariantCulture) ?? "", f.WhatHappened, f.WhatToDo,
            f.DueOn is { } due ? Day(due) : "", f.FileName ?? "", f.Line?.ToString(CultureInfo.InvariantCulture) ?? "",
        ];
    }

    private static string Day(DateOnly date) => CalendarDate.ToIso(date);
}
