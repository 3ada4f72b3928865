using System.Globalization;
using NenkinBatch.Foundation;
using NenkinBatch.Domain;
using NenkinBatch.Formats.Reports;
using NenkinBatch.Matching;
using NenkinBatch.Persistence.Reconcile;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Reconcile;

public sealed record ReconcileOptions
{
    /// <summary>Only this imported list (its file id, as <c>nenkin-admin runs show</c> and the import log name it).</summary>
    public long? FileId { get; init; }
    /// <summary>Every list imported on or after this date (Asia/Tokyo).</summary>
    public DateOnly? Since { get; init; }
    /// <summary>Perform the safe proposals; without it the run only reports (the default).</summary>
    public bool Apply { get; init; }
    /// <summary>Where the reports go; the setting reportDir when null.</summary>
    public string? ReportDirectory { get; init; }
}

/// <summary>
/// <c>nenkin-reconcile</c>: matches every row of the imported 処理結果一覧表 not yet reconciled to the person it is
/// about, says whether the records agree and what to do, and finds the local 資格 changes JPS has not reflected.
/// Two passes over the stored rows: the first decides every row (so that two rows giving one person conflicting
/// identities can both go to review), the second writes the report and collects the safe proposals. With
/// <c>--apply</c> they are kept as the run's plan before anything changes, then applied chunk by chunk with their audit
/// rows, and the report is published last; a rerun after a kill continues the plan (docs/architecture.md, "Reconcile
/// --apply"). Nothing else is ever changed: every other finding is a proposal for a clerk.
/// </summary>
public sealed class ReconcileJob(ReconcileOptions options) : Job
{
    public const string JobName = "reconcile";

    public override string Name => JobName;

    /// <summary>A report-only run recomputes from the stored rows; an --apply run killed half-way is continued from its plan (ContinueOpenPlanAsync).</summary>
    public override bool ResumesFromCheckpoint => false;

    public override string[] CountNames => ["rows", "match", "differs", "not_on_file", "review", "returned", "unreflected", "applied", "not_applied"];

    public override Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken)
    {
        var mode = options.Apply ? "適用（--apply）" : "ドライラン（報告のみ）";
        return Task.FromResult(($"{Scope}、{mode}", ScopeKey));
    }

    private string Scope => options.FileId is { } id ? $"ファイル番号 {id}"
        : options.Since is { } since ? $"{CalendarDate.ToIso(since)} 以降に取り込んだ一覧表"
        : options.Apply ? "未適用の一覧表" : "未照合の一覧表";

    private string ScopeKey => $"{Scope}|{(options.Apply ? "apply" : "report")}";

    public override async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var municipality = context.Municipality;
        var reportDirectory = options.ReportDirectory ?? context.Settings.ReportDirectory;
        var apply = options.Apply && !context.DryRun;
        var open = await context.ReadAsync((c, ct) => ReconcilePlans.OpenAsync(c, municipality, ct), cancellationToken);
        if (apply && open is not null && await ContinueOpenPlanAsync(context, open, cancellationToken) is { } continued) return continued;
        // The report of an --apply stopped half-way waits, complete, to be published by the run that finishes it.
        ReconcileReport.RemoveLeftovers(reportDirectory, open is { State: PlanState.Ready } waiting ? [waiting.ReportCsv!, waiting.ReportXlsx!] : []);

        var files = SelectFiles(await context.ReadAsync((c, ct) => ReconcileStore.ListFilesAsync(c, municipality, ct), cancellationToken));
        if (files.Count == 0)
        {
            context.Log.Info(options.Apply ? "適用していない一覧表はありません。" : "照合していない一覧表はありません（取り込み済みの一覧表はすべて照合済みです）。");
            return new JobOutcome(false);
        }
        context.Log.Info("照合する一覧表: {0}", string.Join("、", files.Select(f => $"{f.FileName}（ファイル番号 {f.FileId}、{f.RowCount:N0} 行）")));

        var matcher = await MatchingInputs.LoadMatcherAsync(context, cancellationToken);

        var phase = System.Diagnostics.Stopwatch.StartNew();
        var decided = await DecideAsync(context, matcher, files, cancellationToken);
        context.Log.Info("{0:N0} 行の該当者を判定しました（{1:F1} 秒）。", decided.Decisions.Count, phase.Elapsed.TotalSeconds);
        phase.Restart();
        if (apply)
        {
            await context.CommitChunkAsync(async (connection, transaction, ct) =>
            {
                await ReconcilePlans.BeginAsync(connection, transaction, municipality, context.RunId, ScopeKey, Scope, files.Select(f => f.FileId), ct);
                return new RunCounts();
            }, "plan", []);
        }
        await using var report = new ReconcileReport(reportDirectory, context.RunId);
        await using var writer = new ReportRows(context, matcher, files, apply);

        // Rows are made (and --apply's changes kept in the plan) a batch ahead on a task of their own while this one writes them.
        var row = decided.Decisions.Count;
        var total = files.Sum(f => f.RowCount);
        var written = 0L;
        await foreach (var batch in ReadAhead.Batches(ct => ReportRowsAsync(context, files, writer, decided, ct), BatchSize, 4, cancellationToken))
        {
            foreach (var reportRow in batch) report.Add(reportRow);
            written += batch.Count;
            context.Progress.Report(total + written, Math.Min(1.0, (total + written) / (2.0 * Math.Max(total, 1))));
        }
        context.Log.Info("照合結果を書きました（{0:F1} 秒）。", phase.Elapsed.TotalSeconds);
        phase.Restart();

        var summary = new (string, string)[]
        {
            ("実行番号", context.RunId.ToString(CultureInfo.InvariantCulture)),
            ("作成日時", BusinessClock.ToTokyo(context.Clock.GetUtcNow()).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
            ("一覧表", string.Join("、", files.Select(f => f.FileName))),
            ("モード", apply ? "適用（安全な提案を実行済み）" : "ドライラン（何も変更していません）"),
            ("照合行数", row.ToString("N0", CultureInfo.InvariantCulture)),
        };
        var counts = new RunCounts(CountNames);
        foreach (var (verdict, count) in report.Counts) counts[CountName(verdict)] = count;
        counts["rows"] = row;
        if (apply)
        {
            // The report is complete before anything changes, and published once everything is applied.
            await report.CompleteAsync(summary, publish: false, cancellationToken);
            await writer.StoredAsync();
            var plan = new ReconcilePlan(context.RunId, ScopeKey, Scope, files.Select(f => f.FileId).ToList(), PlanState.Ready, writer.PlannedChunks, 0,
                counts.ToJson(), report.CsvPath, report.XlsxPath);
            await context.CommitChunkAsync(async (connection, transaction, ct) =>
            {
                await ReconcilePlans.ReadyAsync(connection, transaction, plan, ct);
                return new RunCounts();
            }, "plan:ready", []);
            context.Log.Info("Excel ファイルを書きました（{0:F1} 秒）。", phase.Elapsed.TotalSeconds);
            return await ApplyPlanAsync(context, plan, cancellationToken);
        }

        // The workbook is written while the rows a clerk may decide are still being stored; the report is published once they
        // are, and the lists are marked reported after that. A run stopped before leaves its files under their .partial names
        // (removed here when the storing fails, by the next run when this one was killed) and its lists unreported.
        await report.CompleteAsync(summary, publish: false, cancellationToken);
        context.Log.Info("Excel ファイルを書きました（{0:F1} 秒）。", phase.Elapsed.TotalSeconds);
        try
        {
            await writer.StoredAsync();
        }
        catch
        {
            ReconcileReport.Discard(report.CsvPath, report.XlsxPath);
            throw;
        }
        ReconcileReport.Publish(report.CsvPath, report.XlsxPath);
        await context.CommitChunkAsync(async (connection, transaction, ct) =>
        {
            await ReconcileStore.MarkAsync(connection, transaction, municipality, files.Select(f => f.FileId), context.RunId, applied: false, ct);
            return new RunCounts();
        }, "done", []);
        return Finish(context, counts, report.CsvPath, report.XlsxPath, null);
    }

    /// <summary>
    /// An --apply run killed after deciding is continued, not decided again against records it already changed: its report
    /// and its changes stand (a plan of another scope must be finished first). One killed while still deciding changed
    /// nothing and is forgotten.
    /// </summary>
    private async Task<JobOutcome?> ContinueOpenPlanAsync(JobContext context, ReconcilePlan open, CancellationToken cancellationToken)
    {
        if (open.State == PlanState.Planning)
        {
            await context.CommitChunkAsync(async (connection, transaction, ct) =>
            {
                await ReconcilePlans.DiscardAsync(connection, transaction, open.RunId, ct);
                return new RunCounts();
            }, "discarded", []);
            context.Log.Info("実行番号 {0} は判定の途中で止まっていました（何も変更していません）。判定からやり直します。", open.RunId);
            return null;
        }
        if (!string.Equals(open.ScopeKey, ScopeKey, StringComparison.Ordinal))
            throw new OperatorException(ExitCode.RefusedBySafetyRule,
                $"実行番号 {open.RunId} の適用（{open.Scope}）が途中で止まっています。先に同じ指定で nenkin-reconcile --apply を再実行して完了させてから、この指定で実行してください。");
        if (open.AppliedChunks < open.ChunkCount)
            context.Log.Info("実行番号 {0} の適用が途中で止まっていました。判定はやり直さず、その照合結果のまま続き（{1:N0} / {2:N0} 区切り目から）を適用します。",
                open.RunId, open.AppliedChunks + 1, open.ChunkCount);
        else
            context.Log.Info("実行番号 {0} の適用は変更をすべて終えたところで止まっていました。照合結果の公開と一覧表の記録だけを行います。", open.RunId);
        return await ApplyPlanAsync(context, open, cancellationToken);
    }

    /// <summary>
    /// Applies a plan's changes from its first chunk not applied, each chunk with its audit rows under the planning run's number
    /// (so the changes, their audit and undo are one run's however often it was continued), then publishes its report.
    /// </summary>
    private static async Task<JobOutcome> ApplyPlanAsync(JobContext context, ReconcilePlan plan, CancellationToken cancellationToken)
    {
        var municipality = context.Municipality;
        var audit = context.Store.CreateAuditWriter();
        for (var chunk = plan.AppliedChunks; chunk < plan.ChunkCount; chunk++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var number = chunk;
            await context.CommitChunkAsync(async (connection, transaction, ct) =>
            {
                var changes = await ReconcilePlans.ReadChunkAsync(connection, transaction, plan.RunId, number, ct);
                if (!await ReconcilePlans.ChunkAppliedAsync(connection, transaction, plan.RunId, number, ct))
                {
                    // A retry after a commit whose reply was lost: the chunk is in already.
                    if (await ReconcilePlans.AppliedChunksAsync(connection, transaction, plan.RunId, ct) > number) return new RunCounts();
                    throw new InvalidOperationException($"reconcile plan {plan.RunId}: chunk {number} is out of order");
                }
                var (entries, notApplied) = await SafeChanges.ApplyAsync(connection, transaction, municipality, plan.RunId, changes, ct);
                await audit.WriteAsync(connection, transaction, municipality, plan.RunId, context.JobName, context.Clock.GetUtcNow(), entries, ct);
                var counts = new RunCounts();
                counts["applied"] = entries.Count;
                counts["not_applied"] = notApplied;
                return counts;
            }, "apply:" + (number + 1).ToString(CultureInfo.InvariantCulture), []);
        }
        var (csv, xlsx) = ReconcileReport.Publish(plan.ReportCsv!, plan.ReportXlsx!);
        if (csv is null)
            context.Log.Warn("実行番号 {0} の照合結果 {1} が見つかりません（途中で削除された可能性があります）。変更の記録は監査ログにあります。", plan.RunId, plan.ReportCsv);
        await context.CommitChunkAsync(async (connection, transaction, ct) =>
        {
            await ReconcileStore.MarkAsync(connection, transaction, municipality, plan.FileIds, plan.RunId, applied: true, ct);
            await ReconcilePlans.FinishAsync(connection, transaction, plan.RunId, context.RunId, ct);
            return new RunCounts();
        }, "done", []);

        var counts = RunCounts.FromJson(plan.Counts!);
        counts["applied"] = await context.ReadAsync((c, ct) => ReconcilePlans.AppliedChangesAsync(c, municipality, plan.RunId, ct), cancellationToken);
        counts["not_applied"] = context.Counts["not_applied"];
        var outcome = Finish(context, counts, csv ?? plan.ReportCsv!, xlsx ?? plan.ReportXlsx!, plan.RunId);
        if (counts["not_applied"] == 0) return outcome;
        var message = $"提案した変更のうち {counts["not_applied"]:N0} 件は、判定の後で記録が変わっていたため適用していません（照合結果のその行は提案のままです）。nenkin-admin runs show {context.RunId} で件数を確認し、該当者の記録を確認してください。";
        context.Log.Warn(message);
        return new JobOutcome(true, message);
    }

    private static JobOutcome Finish(JobContext context, RunCounts counts, string csvPath, string xlsxPath, long? appliedAs)
    {
        context.Counts = counts;
        context.Log.Info("判定別: {0}", string.Join("、", Verdicts.All.Select(v => $"{v.Label()} {counts[CountName(v)]:N0}")));
        if (appliedAs is { } run)
        {
            context.Log.Info("適用した変更 {0:N0} 件（監査ログに実行番号 {1} として記録、nenkin-reconcile undo {1} で取り消せます）", counts["applied"], run);
        }
        context.Log.Info("照合結果: {0}（Excel: {1}）", csvPath, xlsxPath);
        return new JobOutcome(false);
    }

    private List<ListFile> SelectFiles(List<ListFile> all)
    {
        if (options.FileId is { } id)
        {
            return all.Where(f => f.FileId == id).ToList() is { Count: > 0 } one ? one
                : throw new OperatorException(ExitCode.UsageError, $"ファイル番号 {id} の一覧表は取り込まれていません（置き換え済みの可能性があります）。nenkin-admin runs で取込の実行を確認してください。");
        }
        if (options.Since is { } since)
            return all.Where(f => DateOnly.FromDateTime(BusinessClock.ToTokyo(f.ImportedAt).DateTime) >= since).ToList();
        return options.Apply ? all.Where(f => f.AppliedRunId is null).ToList() : all.Where(f => f.ReportedRunId is null).ToList();
    }

    /// <summary>
    /// Pass 2: every list row's report row, in list order, then the 機構未反映 findings. The safe changes each row brings are
    /// committed a chunk at a time as they collect (with --apply; a dry run forgets them).
    /// </summary>
    private static async IAsyncEnumerable<ReconcileReportRow> ReportRowsAsync(JobContext context, List<ListFile> files, ReportRows writer, Decided decided,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var row = 0;
        await foreach (var batch in ReadAhead.Batches(ct => Rows(context, files, ct), BatchSize, 4, cancellationToken))
        {
            foreach (var stored in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var supersededBy = decided.Superseded.TryGetValue(row, out var later) ? later : ((long, long)?)null;
                yield return writer.Make(stored, decided.Decisions[row++], supersededBy);
                if (writer.PendingChanges >= context.Settings.ChunkSize) await writer.KeepAsync();
            }
        }
        await writer.KeepAsync();
        foreach (var unreflected in writer.Unreflected(decided, context.Settings.UnreflectedAfterDays)) yield return unreflected;
    }

    /// <summary>Rows are read ahead, and decided in parallel, this many at a time.</summary>
    private const int BatchSize = 4096;

    /// <summary>Every list's rows, list by list in line order, on a connection of their own (each pass reads them once).</summary>
    private static async IAsyncEnumerable<StoredJpsRow> Rows(JobContext context, List<ListFile> files, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await context.Store.OpenAsync(cancellationToken);
        foreach (var file in files)
        {
            await foreach (var row in ReconcileStore.ReadRowsAsync(connection, context.Municipality, file.FileId, cancellationToken)) yield return row;
        }
    }

    /// <summary>
    /// Pass 1: every row's decision (a batch at a time on every core: deciding only reads the index), then the rule
    /// that one person may not be given two identities, which needs them all.
    /// </summary>
    private static async Task<Decided> DecideAsync(JobContext context, Matcher matcher, List<ListFile> files, CancellationToken cancellationToken)
    {
        var decided = new Decided();
        var identities = new Dictionary<int, (string? Pension, byte[]? Digest, bool Conflict)>();
        var events = new List<Decided.EventRow>();
        var sentToReview = new HashSet<int>();
        var total = files.Sum(f => f.RowCount);
        var kanji = matcher.Comparer.Kanji;
        var clerk = await ClerkRule.LoadAsync(context, matcher, cancellationToken);
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };
        await foreach (var batch in ReadAhead.Batches(ct => Rows(context, files, ct), BatchSize, 4, cancellationToken))
        {
            var decisions = new MatchDecision[batch.Count];
            Parallel.For(0, batch.Count, parallel, i => decisions[i] = matcher.Decide(new RowIdentity(batch[i].Identity(), kanji)));
            for (var i = 0; i < batch.Count; i++)
            {
                var (row, decision) = (batch[i], clerk.Apply(batch[i], decisions[i]));
                decided.Decisions.Add(decision);
                var (from, to) = decided.Window;
                decided.Window = (row.ReceivedOn < from ? row.ReceivedOn : from, row.ProcessedOn > to ? row.ProcessedOn : to);
                if (decision.Kind != MatchKind.Automatic) continue;
                var person = decision.Person;
                var seen = identities.GetValueOrDefault(person);
                var conflict = seen.Conflict
                    || (row.BasicPensionNumber is { } p && seen.Pension is { } q && p != q)
                    || (row.NumberDigest is { } d && seen.Digest is { } e && !d.AsSpan().SequenceEqual(e));
                identities[person] = (seen.Pension ?? row.BasicPensionNumber, seen.Digest ?? row.NumberDigest, conflict);
                decided.Filed.Add((person, row.FilingCode));
                if (row.Result == 0 && (row.LostOn ?? row.AcquiredOn) is { } date)
                    events.Add(new Decided.EventRow(person, row.FilingCode, row.LostOn is not null, date, row.ProcessedOn, decided.Decisions.Count - 1, row.FileId, row.LineNumber,
                        (row.AcquiredOn, row.InsuredCategory, row.AcquisitionReason, row.LostOn, row.LossReason)));
            }
            context.Progress.Report(decided.Decisions.Count, decided.Decisions.Count / (2.0 * Math.Max(total, 1)));
        }
        for (var i = 0; i < decided.Decisions.Count; i++)
        {
            var decision = decided.Decisions[i];
            if (decision.Kind != MatchKind.Automatic || !identities[decision.Person].Conflict) continue;
            sentToReview.Add(i);
            decided.Decisions[i] = new MatchDecision(MatchKind.Review, null, [decision.Best!.Value, .. decision.Others],
                $"同じ人（宛名番号 {matcher.Index[decision.Person].AtenaNumber}）に異なる基礎年金番号または個人番号の行があります");
        }
        events.RemoveAll(e => sentToReview.Contains(e.Row));
        decided.FoldEvents(events, ReportRows.SameEventDays);
        return decided;
    }

    /// <summary>The name a 判定's count has in the run registry and the summary file.</summary>
    private static string CountName(Verdict verdict) => verdict switch
    {
        Verdict.Match => "match",
        Verdict.Differs => "differs",
        Verdict.NotOnFile => "not_on_file",
        Verdict.Review => "review",
        Verdict.Returned => "returned",
        Verdict.Unreflected => "unreflected",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict)),
    };
}

/// <summary>Pass 1's result: a decision per row in list order, the period the lists cover, and the filings matched per person.</summary>
internal sealed class Decided
{
    public DecisionList Decisions { get; } = new();
    public (DateOnly From, DateOnly To) Window { get; set; } = (DateOnly.MaxValue, DateOnly.MinValue);
    public HashSet<(int Person, string FilingCode)> Filed { get; } = [];

    /// <summary>
    /// 処理済 rows about an event another row of the lists also reports, later: by row, the line that is applied instead.
    /// One event gets one change, JPS's latest word on it — two rows applied in turn would switch the date back and forth.
    /// </summary>
    public Dictionary<int, (long FileId, long Line)> Superseded { get; } = [];

    /// <summary>What one 処理済 row matched beyond doubt says about a 資格 event, for finding rows about the same event.</summary>
    internal readonly record struct EventRow(int Person, string FilingCode, bool Loss, DateOnly Date, DateOnly ProcessedOn, int Row, long FileId, long Line,
        (DateOnly?, int?, string?, DateOnly?, string?) Says);

    /// <summary>
    /// Rows of one person and kind of filing whose dates lie within <paramref name="sameEventDays"/> of each other are one
    /// event; the rows that say otherwise than its latest (by 処理年月日, then list order) are superseded. Rows that say the
    /// same (one list imported in both layouts) are not: the second simply finds the change made.
    /// </summary>
    public void FoldEvents(List<EventRow> events, int sameEventDays)
    {
        // Sorted in place and scanned: a million-row list must not pay for a grouping of its rows.
        events.Sort((a, b) => (a.Person, a.Loss).CompareTo((b.Person, b.Loss)) is var byPerson and not 0 ? byPerson
            : string.CompareOrdinal(a.FilingCode, b.FilingCode) is var byFiling and not 0 ? byFiling
            : (a.Date, a.Row).CompareTo((b.Date, b.Row)));
        var start = 0;
        for (var i = 1; i <= events.Count; i++)
        {
            // Measured from the first row of the event, so that a chain of rows a month apart each is not one long event.
            if (i < events.Count && SameEvent(events[start], events[i], sameEventDays)) continue;
            if (i - start > 1)
            {
                var latest = events[start];
                for (var j = start + 1; j < i; j++)
                {
                    if ((events[j].ProcessedOn, events[j].Row).CompareTo((latest.ProcessedOn, latest.Row)) > 0) latest = events[j];
                }
                for (var j = start; j < i; j++)
                {
                    if (events[j].Says != latest.Says) Superseded[events[j].Row] = (latest.FileId, latest.Line);
                }
            }
            start = i;
        }
    }

    private static bool SameEvent(EventRow a, EventRow b, int sameEventDays) =>
        a.Person == b.Person && a.Loss == b.Loss && string.Equals(a.FilingCode, b.FilingCode, StringComparison.Ordinal)
        && b.Date.DayNumber - a.Date.DayNumber <= sameEventDays;
}

/// <summary>
/// Every row's decision, held in two flat arrays until the report is written: a million decision objects (with their
/// candidate lists) would be millions more objects for every full garbage collection to trace, and the job paid
/// seconds for them. A decision is rebuilt when it is read.
/// </summary>
internal sealed class DecisionList
{
    private readonly List<Entry> _entries = [];
    private readonly List<Scored> _others = [];
    private readonly Dictionary<int, string> _reasons = [];

    public int Count => _entries.Count;

    public void Add(MatchDecision decision)
    {
        _entries.Add(default);
        this[_entries.Count - 1] = decision;
    }

    public MatchDecision this[int row]
    {
        get
        {
            var entry = _entries[row];
            var others = entry.OthersCount == 0 ? [] : _others.GetRange(entry.OthersAt, entry.OthersCount);
            return new MatchDecision(entry.Kind, entry.HasBest ? entry.Best : null, others, _reasons.GetValueOrDefault(row));
        }
        set
        {
            _entries[row] = new Entry(value.Kind, value.Best ?? default, value.Best.HasValue, _others.Count, value.Others.Count);
            _others.AddRange(value.Others);
            if (value.ReviewReason is { } reason) _reasons[row] = reason;
            else _reasons.Remove(row);
        }
    }

    private readonly record struct Entry(MatchKind Kind, Scored Best, bool HasBest, int OthersAt, int OthersCount);
}
