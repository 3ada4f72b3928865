using System.Globalization;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Reconcile;
using NenkinBatch.Foundation;
using NenkinBatch.Formats;
using NenkinBatch.Persistence.Audit;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Reconcile;

/// <summary>
/// <c>nenkin-reconcile undo RUN</c>: reverts what an applied run changed, newest change first, each only where
/// the row is still as that run left it. Rows changed since are left alone and listed (a CSV beside the reports,
/// exit 10). Runs under reconcile's own lock, so it never races a reconcile; safe to rerun: a change already
/// reverted is recognised as such.
/// </summary>
public sealed class ReconcileUndoJob(long givenRunId, string? reportDirectory = null) : Job
{
    public override string Name => ReconcileJob.JobName;
    public override bool ResumesFromCheckpoint => false;
    public override string[] CountNames => ["changes", "reverted", "already_reverted", "not_reverted"];

    public override Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken) =>
        Task.FromResult(($"実行番号 {givenRunId} の適用の取り消し（undo）", $"undo|{givenRunId}"));

    public override async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var municipality = context.Municipality;
        var applied = await DatabaseWork.RunAsync(context.Resilience,
            ct => new ValueTask<RunRecord?>(new RunRegistry(context.Store, context.Clock).GetAsync(givenRunId, ct)), cancellationToken);
        if (applied is null || applied.Job != ReconcileJob.JobName || applied.MunicipalityCode != municipality.Value)
            throw new OperatorException(ExitCode.UsageError, $"実行番号 {givenRunId} は nenkin-reconcile の実行ではありません。nenkin-admin runs で実行番号を確認してください。");
        // A run that finished another's interrupted --apply stands for that run: the changes are recorded under its number.
        var appliedRunId = await context.ReadAsync((c, ct) => ReconcilePlans.PlanningRunOfAsync(c, givenRunId, ct), cancellationToken);
        if (await context.ReadAsync((c, ct) => ReconcilePlans.OpenAsync(c, municipality, ct), cancellationToken) is { State: PlanState.Ready } open && open.RunId == appliedRunId)
            throw new OperatorException(ExitCode.RefusedBySafetyRule,
                $"実行番号 {appliedRunId} の適用は途中で止まっています。先に同じ指定で nenkin-reconcile --apply を再実行して完了させてから取り消してください。");
        var changes = await context.ReadAsync((c, ct) => SafeChanges.AppliedByAsync(c, municipality, appliedRunId, ct), cancellationToken);
        context.Counts["changes"] = changes.Count;
        if (changes.Count == 0)
            context.Log.Info("実行番号 {0} が適用した変更はありません（--apply なしの実行か、変更のない適用でした）。", appliedRunId);

        var notReverted = new List<SafeChanges.AppliedChange>();
        var audit = context.Store.CreateAuditWriter();
        foreach (var chunk in changes.Chunk(context.Settings.ChunkSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var left = new List<SafeChanges.AppliedChange>();
            await context.CommitChunkAsync(async (connection, transaction, ct) =>
            {
                left.Clear();
                var entries = new List<AuditEntry>();
                var counts = new RunCounts();
                foreach (var change in chunk)
                {
                    if (await SafeChanges.RevertAsync(connection, transaction, municipality, appliedRunId, change, ct) is { } entry)
                    {
                        entries.Add(entry);
                        counts["reverted"]++;
                    }
                    else if (await SafeChanges.IsRevertedAsync(connection, transaction, municipality, change, ct)) counts["already_reverted"]++;
                    else
                    {
                        left.Add(change);
                        counts["not_reverted"]++;
                    }
                }
                await audit.WriteAsync(connection, transaction, municipality, context.RunId, SafeChanges.UndoJob, context.Clock.GetUtcNow(), entries, ct);
                return counts;
            }, "audit:" + chunk[^1].AuditId.ToString(CultureInfo.InvariantCulture), []);
            notReverted.AddRange(left);
        }
        await context.CommitChunkAsync(async (connection, transaction, ct) =>
        {
            await ReconcileStore.ForgetAppliedAsync(connection, transaction, municipality, appliedRunId, ct);
            return new RunCounts();
        }, "done", []);

        context.Log.Info("実行番号 {0} の変更 {1:N0} 件のうち、取り消し {2:N0} 件、取り消し済み {3:N0} 件、取り消せない {4:N0} 件", appliedRunId,
            changes.Count, context.Counts["reverted"], context.Counts["already_reverted"], context.Counts["not_reverted"]);
        if (notReverted.Count == 0) return new JobOutcome(false);

        var directory = reportDirectory ?? context.Settings.ReportDirectory;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"reconcile-undo-{context.RunId.ToString(CultureInfo.InvariantCulture)}.csv");
        await using (var csv = CsvOutput.ForSpreadsheet(path))
        {
            csv.Write("監査番号", "テーブル", "キー", "理由");
            foreach (var change in notReverted)
                csv.Write(change.AuditId.ToString(CultureInfo.InvariantCulture), change.Table, change.RecordKey, "適用の後で変更されているため取り消していません（職員が確認）");
        }
        var message = $"実行番号 {appliedRunId} の後で変更された {notReverted.Count:N0} 件は取り消していません。一覧: {path}";
        context.Log.Warn(message);
        return new JobOutcome(true, message);
    }
}
