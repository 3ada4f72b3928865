using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Retention;
using NenkinBatch.Formats;
using SpreadCheetah;
using SpreadCheetah.Worksheets;

namespace NenkinBatch.Jobs.Purge;

/// <summary>
/// The plan's report for the 係長 who approves it: <c>purge-plan-&lt;plan&gt;.csv</c> (UTF-8 with BOM) and the same as a workbook. The
/// summary per kind (count, oldest and newest event date, period), the policy's digest, every person, list and file named one per
/// row, and the lines to sign. Audit rows and run records are counted, not listed (their ids are in the plan). No 個人番号 ever; a
/// person under 支援措置 has no address on it. Its last line is the command that executes exactly this plan.
/// </summary>
public static class PurgeReport
{
    public sealed record Line(long Seq, RecordKind Kind, string Key, DateOnly EventDate, string? Name = null, string? Address = null);

    public sealed record Summary(long PlanId, DateOnly AsOf, string PolicySource, string PolicyDigest, IReadOnlyList<KindCount> Counts, long HeldCount,
        long PersonsOnFile, string Command, bool OverCap);

    public static readonly IReadOnlyList<string> Headers = ["区分", "番号", "種類", "キー", "氏名", "住所", "起算日", "保存年数", "保存満了日", "備考"];

    private static readonly double[] Widths = [8, 8, 26, 40, 20, 40, 12, 8, 12, 60];

    public const string Hidden = "（支援措置対象のため非表示）";

    /// <summary>Whether a kind's items are each a row of the report (the others are counted only).</summary>
    public static bool Listed(RecordKind kind) => kind is not (RecordKind.Audit or RecordKind.Run);

    public static async Task<(string Csv, string Xlsx)> WriteAsync(string directory, Summary summary, RetentionPolicy policy, IReadOnlyList<Line> lines, bool dryRun,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var name = $"purge-plan-{summary.PlanId.ToString(CultureInfo.InvariantCulture)}{(dryRun ? "-dryrun" : "")}";
        var csvPath = Path.Combine(directory, name + ".csv");
        var xlsxPath = Path.Combine(directory, name + ".xlsx");
        var head = SummaryRows(summary, policy).ToList();
        var tail = SignatureRows(summary).ToList();
        await using (var csv = CsvOutput.ForSpreadsheet(csvPath + ".partial"))
        {
            csv.Write(Headers);
            foreach (var row in head) csv.Write(row);
            foreach (var line in lines) csv.Write(Cells(line, policy));
            foreach (var row in tail) csv.Write(row);
        }
        await using (var stream = new FileStream(xlsxPath + ".partial", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        await using (var book = await Spreadsheet.CreateNewAsync(stream, cancellationToken: cancellationToken))
        {
            var options = new WorksheetOptions { FrozenRows = 1 };
            for (var i = 0; i < Widths.Length; i++) options.Column(i + 1).Width = Widths[i];
            await book.StartWorksheetAsync("削除計画", options, cancellationToken);
            await book.AddRowAsync(Headers.Select(h => new Cell(h)).ToArray(), cancellationToken);
            foreach (var row in head) await book.AddRowAsync(row.Select(v => new Cell(v)).ToArray(), cancellationToken);
            foreach (var row in tail) await book.AddRowAsync(row.Select(v => new Cell(v)).ToArray(), cancellationToken);
            await book.StartWorksheetAsync("明細", options, cancellationToken);
            await book.AddRowAsync(Headers.Select(h => new Cell(h)).ToArray(), cancellationToken);
            foreach (var line in lines) await book.AddRowAsync(Cells(line, policy).Select(v => new Cell(v)).ToArray(), cancellationToken);
            await book.FinishAsync(cancellationToken);
        }
        File.Move(csvPath + ".partial", csvPath, overwrite: true);
        File.Move(xlsxPath + ".partial", xlsxPath, overwrite: true);
        return (csvPath, xlsxPath);
    }

    private static string[] Row(string section, string number = "", string kind = "", string key = "", string name = "", string address = "", string from = "",
        string years = "", string through = "", string note = "") => [section, number, kind, key, name, address, from, years, through, note];

    private static IEnumerable<string[]> SummaryRows(Summary s, RetentionPolicy policy)
    {
        yield return Row("計画", s.PlanId.ToString(CultureInfo.InvariantCulture), note:
            $"基準日 {CalendarDate.ToIso(s.AsOf)} に保存期間を過ぎた記録の削除計画。まだ何も削除していません。保存の継続（ホールド）中で除いた件数 {s.HeldCount:N0}");
        yield return Row("保存期間", note: $"{s.PolicySource}（SHA-256 {s.PolicyDigest}）");
        foreach (var c in s.Counts)
        {
            var period = policy[c.Kind];
            yield return Row("集計", c.Count.ToString("N0", CultureInfo.InvariantCulture), RecordKinds.Label(c.Kind), RecordKinds.Name(c.Kind),
                from: c.Oldest is { } o ? CalendarDate.ToIso(o) : "", years: period.Years.ToString(CultureInfo.InvariantCulture),
                through: c.Newest is { } n ? CalendarDate.ToIso(n) : "",
                note: $"{period.CountsFrom}から{period.Years}年（起算日の列は最も古い日、保存満了日の列は最も新しい起算日）{(Listed(c.Kind) ? "" : "。件数のみ（明細は計画に保存）")}");
        }
        if (s.OverCap)
            yield return Row("注意", note: $"削除する宛名の数が上限（設定 purge.capPercent、宛名 {s.PersonsOnFile:N0} 件に対する割合）を超えています。実行には --over-cap が必要です");
    }

    private static IEnumerable<string[]> SignatureRows(Summary s)
    {
        yield return Row("承認", note: "上記の削除計画の内容（件数・対象）を確認し、削除を承認します。");
        yield return Row("承認", note: "所属　　　　　　　　　係長 氏名　　　　　　　　　　　　印　　　　確認日　　　年　　月　　日");
        yield return Row("実行", note: s.Command);
    }

    private static string[] Cells(Line line, RetentionPolicy policy)
    {
        var period = policy[line.Kind];
        return Row("明細", line.Seq.ToString(CultureInfo.InvariantCulture), RecordKinds.Label(line.Kind), line.Key, line.Name ?? "", line.Address ?? "",
            CalendarDate.ToIso(line.EventDate), period.Years.ToString(CultureInfo.InvariantCulture), CalendarDate.ToIso(period.KeptThrough(line.EventDate)), period.CountsFrom);
    }
}

/// <summary>A kind's share of a plan: how many, and the oldest and newest event dates.</summary>
public sealed record KindCount(RecordKind Kind, long Count, DateOnly? Oldest, DateOnly? Newest);
