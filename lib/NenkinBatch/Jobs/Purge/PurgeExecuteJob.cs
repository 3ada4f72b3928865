using System.Data.Common;
using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Retention;
using NenkinBatch.Formats;
using NenkinBatch.Foundation;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Purge;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Purge;

/// <summary>
/// <c>nenkin-purge execute PLAN --confirm-count N [--over-cap] [--dry-run]</c>: deletes exactly what the stored plan names, each item
/// re-checked against the policy in force and the holds at the moment of deletion (a person who came back, a 資格 reopened, a new hold:
/// left and listed). Refused (exit 30) before anything is deleted: a plan older than <c>purge.planMaxAgeDays</c>, a count that is not
/// the plan's, a plan above the cap without <c>--over-cap</c>. Chunk by chunk, each chunk's deletions, purge log rows and item outcomes
/// in one transaction: killed anywhere and rerun with the same command, it continues with the items not yet done and ends as an
/// uninterrupted run, each item in the purge log once. Afterwards the store leaves no old page of what was deleted (SQLite VACUUM and
/// an emptied WAL; PostgreSQL VACUUM of the touched tables).
/// </summary>
public sealed class PurgeExecuteJob(long planId, long confirmCount, bool overCap) : Job
{
    public override string Name => PurgeStore.JobName;
    public override bool ResumesFromCheckpoint => false;
    public override string[] CountNames => ["items", "deleted", "skipped", "persons", "numbers", "jps_files", "audit_rows", "runs", "files"];

    public override Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken)
    {
        PolicyInForce.Load(settings);
        return Task.FromResult(($"削除計画 {planId} の実行（確認件数 {confirmCount:N0}{(overCap ? "、上限超過を承認" : "")}）", $"execute|{planId}"));
    }

    /// <summary>A bound after every instant stored: the re-check reads a chunk's rows whatever their date, and decides by the rule.</summary>
    private static readonly DateTimeOffset Always = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool IsOverCap(long persons, long personsOnFile, double capPercent) => persons * 100.0 > personsOnFile * capPercent;

    public override async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var store = PurgeStore.For(context.Store);
        var m = context.Municipality;
        var plan = await context.ReadAsync((c, ct) => store.PlanAsync(c, null, m, planId, ct), cancellationToken)
            ?? throw new OperatorException(ExitCode.UsageError, $"削除計画 {planId} はありません。nenkin-purge plan が最後に表示したコマンドの計画番号を確認してください。");
        Refuse(context, plan);
        if (plan.Status == PlanStatus.Executed)
        {
            context.Log.Info("削除計画 {0} は実行済みです。削除するものは残っていません。", planId);
            return new JobOutcome(false, $"削除計画 {planId} は実行済みです。");
        }

        var policy = PolicyInForce.Load(context.Settings);
        if (!string.Equals(policy.Digest, plan.PolicyDigest, StringComparison.Ordinal))
            context.Log.Warn("保存期間ファイルが計画の作成時と違います（計画 {0}、現在 {1}）。各項目は現在の保存期間で確認し直し、満了していないものは削除しません。",
                plan.PolicyDigest[..12], policy.Digest[..12]);
        var protector = await context.OpenIndividualNumberProtectorAsync(cancellationToken);
        var today = BusinessClock.Today(context.Clock);
        context.Log.Info("削除計画 {0}（基準日 {1}、{2:N0} 件）を実行します。各項目は {3} 時点の保存期間と保存の継続（ホールド）で確認し直します。{4}", planId,
            CalendarDate.ToIso(plan.AsOf), plan.ItemCount, CalendarDate.ToIso(today), context.DryRun ? "（ドライラン: 何も削除しません）" : "");

        // A database loaded in bulk may not have been analysed yet: without statistics PostgreSQL plans the erasure's joins blind.
        await context.ReadAsync(async (c, ct) =>
        {
            foreach (var table in new[] { "person", "qualification", "person_individual_number", "audit_log" }) await store.AnalyzeAsync(c, null, table, ct);
            return true;
        }, cancellationToken);
        var after = 0L;
        var first = plan.Status == PlanStatus.Planned;
        var dryRunSkipped = new List<(long Seq, string Kind, string? Key, string? Reason)>();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<PlanItem> chunk = [];
            var outcomes = new List<ItemOutcome>();
            await context.CommitChunkAsync(async (c, tx, ct) =>
            {
                outcomes.Clear();
                var holds = await store.HoldsAsync(c, tx, m, ct);
                chunk = await store.NextItemsAsync(c, tx, planId, after, context.Settings.ChunkSize, ct);
                if (first) await store.SetPlanStatusAsync(c, tx, planId, PlanStatus.Executing, context.RunId, null, ct);
                if (chunk.Count == 0)
                {
                    await store.SetPlanStatusAsync(c, tx, planId, PlanStatus.Executed, context.RunId, context.Clock.GetUtcNow(), ct);
                    return new RunCounts();
                }
                var heldPeople = holds.Where(h => h.Kind == PurgeHold.PersonKind && h.InForceOn(today)).Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
                var heldFiles = holds.Where(h => h.Kind == PurgeHold.JpsFileKind && h.InForceOn(today)).Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
                await store.OpenGateAsync(c, tx, ct);
                var log = new List<ErasureEntry>();
                var counts = new RunCounts();
                foreach (var group in chunk.GroupBy(i => i.Kind).OrderBy(g => PurgePlanJob.KindOrder(g.Key)))
                {
                    var items = group.ToList();
                    await store.LoadKeysAsync(c, tx, items.Select(i => (i.Key ?? "", i.Seq)).ToList(), ct);
                    var deleted = await EraseAsync(context, store, c, tx, planId, policy, today, group.Key, items, heldPeople, heldFiles, outcomes, ct);
                    foreach (var (item, eventDate) in deleted)
                        log.Add(new ErasureEntry(item.Seq, item.Kind, protector.ErasureDigest(m.Value, RecordKinds.Name(item.Kind), item.Key!), policy[item.Kind].Rule,
                            eventDate, policy[item.Kind].Years));
                    counts[CountName(group.Key)] += deleted.Count;
                }
                await store.AppendLogAsync(c, tx, m, planId, context.RunId, context.Clock.GetUtcNow(), log, ct);
                await store.SetOutcomesAsync(c, tx, planId, context.RunId, outcomes, ct);
                await store.CloseGateAsync(c, tx, ct);
                counts["items"] = chunk.Count;
                counts["deleted"] = log.Count;
                counts["skipped"] = outcomes.Count(o => !o.Deleted);
                return counts;
            }, $"plan:{planId}:{(chunk.Count > 0 ? chunk[^1].Seq : after)}", []);
            first = false;
            if (chunk.Count == 0) break;
            after = chunk[^1].Seq;
            if (context.DryRun)
                dryRunSkipped.AddRange(outcomes.Where(o => !o.Deleted).Select(o => (o.Seq, RecordKinds.Name(chunk.First(i => i.Seq == o.Seq).Kind), chunk.First(i => i.Seq == o.Seq).Key, o.Reason)));
            context.Progress.Report(context.Counts["items"], plan.ItemCount == 0 ? null : (double)after / plan.ItemCount);
        }

        if (!context.DryRun)
        {
            context.Log.Info("削除した記録が古いページに残らないよう、データベースを整理しています（SQLite: VACUUM と WAL の切り詰め、PostgreSQL: VACUUM）。");
            await DatabaseWork.RunAsync(context.Resilience, async ct => { await store.FinishErasureAsync(context.Store, ct); return true; }, cancellationToken);
            // The plan's report names the people it erased: once they are gone, so is its list (the signed copy is the city's record).
            foreach (var report in new[] { plan.ReportCsv, plan.ReportXlsx })
            {
                if (report is not null && File.Exists(report)) RetainedFiles.Erase(report);
            }
        }

        var skipped = context.DryRun ? dryRunSkipped : await context.ReadAsync((c, ct) => store.SkippedAsync(c, planId, ct), cancellationToken);
        var summary = string.Join("、", new[] { "persons", "numbers", "jps_files", "audit_rows", "runs", "files" }.Select(n => $"{Label(n)} {context.Counts[n]:N0}"));
        context.Log.Info("削除計画 {0}: {1}{2:N0} 件（{3}）、確認し直して残したもの {4:N0} 件", planId, context.DryRun ? "削除するもの " : "削除 ", context.Counts["deleted"], summary, skipped.Count);
        if (skipped.Count == 0) return new JobOutcome(false);

        var directory = context.Settings.ReportDirectory;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"purge-skipped-{context.RunId.ToString(CultureInfo.InvariantCulture)}{(context.DryRun ? "-dryrun" : "")}.csv");
        await using (var csv = CsvOutput.ForSpreadsheet(path))
        {
            csv.Write("番号", "種類", "キー", "削除しなかった理由");
            foreach (var (seq, kind, key, reason) in skipped)
                csv.Write(seq.ToString(CultureInfo.InvariantCulture), RecordKinds.Label(RecordKinds.Parse(kind)), key ?? "", reason ?? "");
        }
        var message = $"削除計画 {planId} のうち {skipped.Count:N0} 件は、確認し直した結果削除していません（一覧: {path}）。内容を確認してください。";
        context.Log.Warn(message);
        return new JobOutcome(true, message);
    }

    /// <summary>The safety rules, before anything is deleted; each refusal says what to do.</summary>
    private void Refuse(JobContext context, PurgePlanRecord plan)
    {
        if (plan.Status == PlanStatus.Planning)
            throw new OperatorException(ExitCode.RefusedBySafetyRule,
                $"削除計画 {planId} は報告書が作られる前に止まった計画です（実行できません）。nenkin-purge plan で計画を作り直してください。");
        if (confirmCount != plan.ItemCount)
            throw new OperatorException(ExitCode.RefusedBySafetyRule,
                $"--confirm-count {confirmCount:N0} は削除計画 {planId} の件数 {plan.ItemCount:N0} と違います。何も削除していません。" +
                $"承認された報告書の件数を確かめ、報告書の最後の行のコマンド（--confirm-count {plan.ItemCount.ToString(CultureInfo.InvariantCulture)}）で実行してください。");
        if (plan.Status != PlanStatus.Planned) return;
        var created = PurgePlanJob.TokyoDate(plan.CreatedAt);
        var age = BusinessClock.Today(context.Clock).DayNumber - created.DayNumber;
        if (age > context.Settings.PurgePlanMaxAgeDays)
            throw new OperatorException(ExitCode.RefusedBySafetyRule,
                $"削除計画 {planId} は {CalendarDate.ToIso(created)} に作成され、{age} 日経っています（上限は設定 purge.planMaxAgeDays の {context.Settings.PurgePlanMaxAgeDays} 日）。何も削除していません。" +
                "記録がその後変わっている可能性があるため、nenkin-purge plan で計画を作り直し、新しい報告書の承認を受けてから実行してください。");
        if (!overCap && IsOverCap(plan.PersonCount, plan.PersonsOnFile, context.Settings.PurgeCapPercent))
            throw new OperatorException(ExitCode.RefusedBySafetyRule,
                $"削除計画 {planId} は宛名 {plan.PersonCount:N0} 件を削除します。宛名 {plan.PersonsOnFile:N0} 件の {context.Settings.PurgeCapPercent.ToString(CultureInfo.InvariantCulture)}%（設定 purge.capPercent）を超えるため、何も削除していません。" +
                "報告書で件数と対象が正しいことを確かめ、承認を受けたうえで --over-cap を付けて実行してください。");
    }

    /// <summary>Re-checks and erases one kind's items of a chunk (their keys are in purge_keys); returns those erased with the event date the check found.</summary>
    private static async Task<List<(PlanItem Item, DateOnly EventDate)>> EraseAsync(JobContext context, PurgeStore store, DbConnection c, DbTransaction tx,
        long planId, RetentionPolicy policy, DateOnly today, RecordKind kind, List<PlanItem> items, IReadOnlySet<string> heldPeople, IReadOnlySet<string> heldFiles,
        List<ItemOutcome> outcomes, CancellationToken ct)
    {
        var m = context.Municipality;
        var deleted = new List<(PlanItem, DateOnly)>();
        void Skip(PlanItem item, string reason) => outcomes.Add(new ItemOutcome(item.Seq, false, reason, false));
        void Done(PlanItem item, DateOnly eventDate, bool clearKey)
        {
            deleted.Add((item, eventDate));
            outcomes.Add(new ItemOutcome(item.Seq, true, null, clearKey));
        }
        switch (kind)
        {
            case RecordKind.Person or RecordKind.IndividualNumber:
            {
                var people = new Dictionary<string, PersonRetentionFacts>(StringComparer.Ordinal);
                await foreach (var person in store.PeopleAsync(c, tx, m, heldPeople, onlyLoadedKeys: true, ct)) people[person.Facts.AtenaNumber] = person.Facts;
                var due = new List<(string Key, long Seq)>();
                foreach (var item in items)
                {
                    if (!people.TryGetValue(item.Key!, out var facts)) { Skip(item, "宛名がもうない"); continue; }
                    DateOnly counted;
                    var ok = kind == RecordKind.Person ? RetentionRules.PersonDue(policy, facts, today, out counted) : RetentionRules.IndividualNumberPast(policy, facts, today, out counted);
                    if (!ok) { Skip(item, RetentionRules.WhyKept(policy, facts, today, kind)); continue; }
                    due.Add((item.Key!, item.Seq));
                    Done(item, counted, clearKey: true);
                }
                await store.LoadKeysAsync(c, tx, due, ct);
                if (kind == RecordKind.Person) await store.ErasePeopleAsync(c, tx, m, planId, ct);
                else await store.EraseNumbersAsync(c, tx, m, ct);
                break;
            }
            case RecordKind.JpsFile:
            {
                var files = (await store.JpsFilesAsync(c, tx, m, onlyLoadedKeys: true, ct)).ToDictionary(f => f.FileId.ToString(CultureInfo.InvariantCulture), f => f.ImportedAt);
                var due = new List<(string, long)>();
                foreach (var item in items)
                {
                    if (!files.TryGetValue(item.Key!, out var importedAt)) { Skip(item, "一覧表がもうない"); continue; }
                    var imported = PurgePlanJob.TokyoDate(importedAt);
                    if (heldFiles.Contains(item.Key!)) { Skip(item, "保存の継続（ホールド）中"); continue; }
                    if (!policy[kind].IsPast(imported, today)) { Skip(item, $"保存期間が満了していない（{CalendarDate.ToIso(policy[kind].KeptThrough(imported))} まで保存）"); continue; }
                    due.Add((item.Key!, item.Seq));
                    Done(item, imported, clearKey: false);
                }
                await store.LoadKeysAsync(c, tx, due, ct);
                await store.EraseJpsFilesAsync(c, tx, m, ct);
                break;
            }
            case RecordKind.Audit:
            {
                var rows = new Dictionary<string, (DateTimeOffset At, string Key)>(StringComparer.Ordinal);
                await foreach (var (id, at, key) in store.AuditRowsAsync(c, tx, m, Always, onlyLoadedKeys: true, ct))
                    rows[id.ToString(CultureInfo.InvariantCulture)] = (at, key);
                var due = new List<(string, long)>();
                foreach (var item in items)
                {
                    if (!rows.TryGetValue(item.Key!, out var row)) { Skip(item, "監査ログの行がもうない"); continue; }
                    var date = PurgePlanJob.TokyoDate(row.At);
                    if (PurgePlanJob.HeldAuditKey(row.Key, heldPeople, heldFiles)) { Skip(item, "保存の継続（ホールド）中の記録の行"); continue; }
                    if (!policy[kind].IsPast(date, today)) { Skip(item, $"保存期間が満了していない（{CalendarDate.ToIso(policy[kind].KeptThrough(date))} まで保存）"); continue; }
                    due.Add((item.Key!, item.Seq));
                    Done(item, date, clearKey: false);
                }
                await store.LoadKeysAsync(c, tx, due, ct);
                await store.EraseAuditRowsAsync(c, tx, m, ct);
                break;
            }
            case RecordKind.Run:
            {
                var runs = (await store.UnreferencedRunsAsync(c, tx, m, Always, onlyLoadedKeys: true, ct))
                    .ToDictionary(r => r.RunId.ToString(CultureInfo.InvariantCulture), r => r.EndedAt);
                foreach (var item in items)
                {
                    if (!runs.TryGetValue(item.Key!, out var endedAt)) { Skip(item, "実行記録がもうないか、残る記録がこの実行を参照している"); continue; }
                    var ended = PurgePlanJob.TokyoDate(endedAt);
                    if (!policy[kind].IsPast(ended, today)) { Skip(item, $"保存期間が満了していない（{CalendarDate.ToIso(policy[kind].KeptThrough(ended))} まで保存）"); continue; }
                    if (await store.TryEraseRunAsync(c, tx, m, long.Parse(item.Key!, CultureInfo.InvariantCulture), ct)) Done(item, ended, clearKey: false);
                    else Skip(item, "残る記録がこの実行を参照している");
                }
                break;
            }
            default:
            {
                foreach (var item in items)
                {
                    var path = item.Key!;
                    if (!File.Exists(path))
                    {
                        // Gone already: erased by an earlier attempt whose transaction did not commit, or by hand. Either way it is not there.
                        Done(item, item.EventDate, clearKey: false);
                        continue;
                    }
                    var date = RetainedFiles.DateOf(path);
                    if (!policy[kind].IsPast(date, today)) { Skip(item, $"ファイルが更新されている（{CalendarDate.ToIso(date)}）か、保存期間が満了していない"); continue; }
                    if (!context.DryRun) RetainedFiles.Erase(path);
                    Done(item, date, clearKey: false);
                }
                break;
            }
        }
        return deleted;
    }

    private static string CountName(RecordKind kind) => kind switch
    {
        RecordKind.Person => "persons",
        RecordKind.IndividualNumber => "numbers",
        RecordKind.JpsFile => "jps_files",
        RecordKind.Audit => "audit_rows",
        RecordKind.Run => "runs",
        _ => "files",
    };

    private static string Label(string count) => count switch
    {
        "persons" => "宛名",
        "numbers" => "個人番号のみ",
        "jps_files" => "処理結果一覧表",
        "audit_rows" => "監査ログ",
        "runs" => "実行記録",
        _ => "ファイル",
    };
}
