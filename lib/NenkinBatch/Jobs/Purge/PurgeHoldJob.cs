using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Foundation;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Audit;
using NenkinBatch.Persistence.Purge;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Purge;

/// <summary>What a hold is on: a person by 宛名番号, or an imported JPS list by its file id.</summary>
public sealed record HoldTarget(string Kind, string Key)
{
    public string Label => Kind == PurgeHold.PersonKind ? $"宛名番号 {Key}" : $"処理結果一覧表（ファイル番号 {Key}）";
}

/// <summary>
/// <c>nenkin-purge hold add|remove</c>: a legal hold (訴訟・監査・照会のための保存の継続) on a person or a list, with its reason and end
/// date. Held records are never planned nor erased while the hold is in force; adding and ending one each write an audit row. Runs
/// under the purge's lock, so a hold never lands in the middle of a plan or an execute.
/// </summary>
public sealed class PurgeHoldJob(HoldTarget target, bool add, string reason, DateOnly? until = null) : Job
{
    public override string Name => PurgeStore.JobName;
    public override bool ResumesFromCheckpoint => false;
    public override string[] CountNames => ["holds"];

    public override Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken) =>
        Task.FromResult(($"保存の継続の{(add ? "設定" : "解除")}: {target.Label}", $"hold|{(add ? "add" : "remove")}|{target.Kind}|{target.Key}"));

    public override async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var store = PurgeStore.For(context.Store);
        var m = context.Municipality;
        var now = context.Clock.GetUtcNow();
        if (add && until is { } end && end < BusinessClock.Today(context.Clock))
            throw new OperatorException(ExitCode.UsageError, $"--until {CalendarDate.ToIso(end)} は過去の日付です。保存を続ける最後の日を指定してください。");
        if (add && !await ExistsAsync(context, cancellationToken))
            throw new OperatorException(ExitCode.UsageError, $"{target.Label} の記録はありません（消去済みか、番号の誤りです）。番号を確認してください。");
        var message = "";
        await context.CommitChunkAsync(async (c, tx, ct) =>
        {
            var counts = new RunCounts();
            var audit = new List<AuditEntry>();
            if (add)
            {
                var id = await store.AddHoldAsync(c, tx, m, target.Kind, target.Key, reason, until!.Value, context.RunId, now, ct);
                audit.Add(new AuditEntry(AuditKey.Hold(m, id), "INSERT", null,
                    AuditEntry.Snapshot(new { kind = target.Kind, key = target.Key, reason, until = CalendarDate.ToIso(until.Value) }), false));
                message = $"{target.Label} を {CalendarDate.ToIso(until.Value)} まで削除の対象から外しました（保存の継続 {id}）。";
            }
            else
            {
                var ended = await store.RemoveHoldsAsync(c, tx, m, target.Kind, target.Key, reason, context.RunId, now, ct);
                foreach (var id in ended)
                    audit.Add(new AuditEntry(AuditKey.Hold(m, id), "UPDATE", null, AuditEntry.Snapshot(new { removed_reason = reason }), false));
                message = ended.Count == 0
                    ? $"{target.Label} に有効な保存の継続はありません。変更はありません。"
                    : $"{target.Label} の保存の継続（{string.Join("、", ended)}）を解除しました。次の削除計画から保存期間どおりに扱います。";
            }
            await context.Store.CreateAuditWriter().WriteAsync(c, tx, m, context.RunId, PurgeStore.JobName, now, audit, ct);
            counts["holds"] = audit.Count;
            return counts;
        }, "hold", []);
        context.Log.Info(message);
        return new JobOutcome(false, message);
    }

    private Task<bool> ExistsAsync(JobContext context, CancellationToken cancellationToken) =>
        context.ReadAsync(async (c, ct) =>
        {
            await using var command = target.Kind == PurgeHold.PersonKind
                ? DbCommands.Create(c, null, "SELECT count(*) FROM person WHERE municipality_code = @m AND atena_number = @k", ("m", context.Municipality.Value), ("k", target.Key))
                : DbCommands.Create(c, null, "SELECT count(*) FROM jps_result_file WHERE municipality_code = @m AND file_id = @k", ("m", context.Municipality.Value),
                    ("k", long.Parse(target.Key, CultureInfo.InvariantCulture)));
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
        }, cancellationToken);
}
