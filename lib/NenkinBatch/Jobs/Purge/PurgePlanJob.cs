using System.Globalization;
using System.Text.Json;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Retention;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Purge;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Purge;

/// <summary>
/// <c>nenkin-purge plan [--as-of DATE]</c>: finds, as of the business date, every record past its period under the policy in force
/// and not held, stores it as a plan (every key in <c>purge_plan_item</c>, the policy's text and digest, per-kind counts), writes
/// the report a 係長 signs, and prints the one command that executes it. Nothing is deleted. The plan is stored in one
/// transaction, so a killed plan run leaves no plan half-made; one killed before its report is written is never executable and
/// the next plan run removes it.
/// </summary>
public sealed class PurgePlanJob(DateOnly? asOf = null, IReadOnlyList<string>? inboxes = null) : Job
{
    public override string Name => PurgeStore.JobName;
    public override bool ResumesFromCheckpoint => false;
    public override string[] CountNames => ["persons", "numbers", "jps_files", "audit_rows", "runs", "files", "held", "items"];

    private RetentionPolicy? _policy;

    /// <summary>The plan stored by the last run (tests and the command line read it).</summary>
    public long? PlanId { get; private set; }

    /// <summary>The command that executes the plan just stored: the executable prints it as its very last line.</summary>
    public string? Command { get; private set; }

    public override Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken)
    {
        // A policy that cannot be read, or would erase early, stops here: exit 64 before any run is registered.
        _policy = PolicyInForce.Load(settings);
        var day = asOf is { } d ? CalendarDate.ToIso(d) : "当日";
        return Task.FromResult(($"削除計画（基準日 {day}、保存期間 {_policy.Source}）", $"plan|{day}"));
    }

    public override async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var policy = _policy ?? PolicyInForce.Load(context.Settings);
        var store = PurgeStore.For(context.Store);
        var m = context.Municipality;
        var day = asOf ?? BusinessClock.Today(context.Clock);
        var holds = await context.ReadAsync((c, ct) => store.HoldsAsync(c, null, m, ct), cancellationToken);
        var heldPeople = holds.Where(h => h.Kind == PurgeHold.PersonKind && h.InForceOn(day)).Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        var heldFiles = holds.Where(h => h.Kind == PurgeHold.JpsFileKind && h.InForceOn(day)).Select(h => h.Key).ToHashSet(StringComparer.Ordinal);

        var items = new List<PlannedItem>();
        var lines = new List<PurgeReport.Line>();
        var numbers = new List<PlannedItem>();
        var numberLines = new List<PurgeReport.Line>();
        long held = 0;
        var personsOnFile = await context.ReadAsync((c, ct) => store.PersonsOnFileAsync(c, null, m, ct), cancellationToken);

        // People: streamed; only those planned are kept, with what the report shows of them.
        await context.ReadAsync(async (c, ct) =>
        {
            items.Clear(); lines.Clear(); numbers.Clear(); numberLines.Clear(); held = 0;
            await foreach (var person in store.PeopleAsync(c, null, m, heldPeople, onlyLoadedKeys: false, ct))
            {
                var facts = person.Facts;
                if (RetentionRules.PersonDue(policy, facts, day, out var counted))
                {
                    items.Add(new PlannedItem(RecordKind.Person, facts.AtenaNumber, counted));
                    lines.Add(new PurgeReport.Line(0, RecordKind.Person, facts.AtenaNumber, counted, person.Name, AddressOf(person)));
                }
                else if (RetentionRules.IndividualNumberAloneDue(policy, facts, day, out var removed))
                {
                    numbers.Add(new PlannedItem(RecordKind.IndividualNumber, facts.AtenaNumber, removed));
                    numberLines.Add(new PurgeReport.Line(0, RecordKind.IndividualNumber, facts.AtenaNumber, removed, person.Name, AddressOf(person)));
                }
                else if (facts.Held && (RetentionRules.PersonDue(policy, facts with { Held = false }, day, out _)
                                        || RetentionRules.IndividualNumberPast(policy, facts with { Held = false }, day, out _)))
                {
                    held++;
                }
                context.Progress.Report(items.Count + numbers.Count, null);
            }
            return true;
        }, cancellationToken);
        items.AddRange(numbers);
        lines.AddRange(numberLines);

        // Lists: a city imports a few a month.
        var files = await context.ReadAsync((c, ct) => store.JpsFilesAsync(c, null, m, onlyLoadedKeys: false, ct), cancellationToken);
        foreach (var (fileId, importedAt) in files.OrderBy(f => f.FileId))
        {
            var key = fileId.ToString(CultureInfo.InvariantCulture);
            var imported = TokyoDate(importedAt);
            if (!policy[RecordKind.JpsFile].IsPast(imported, day)) continue;
            if (heldFiles.Contains(key)) { held++; continue; }
            items.Add(new PlannedItem(RecordKind.JpsFile, key, imported));
            lines.Add(new PurgeReport.Line(0, RecordKind.JpsFile, key, imported));
        }

        // Audit rows: the store narrows to rows a day or two either side of the boundary, the rule decides exactly.
        var auditPeriod = policy[RecordKind.Audit];
        await context.ReadAsync(async (c, ct) =>
        {
            items.RemoveAll(i => i.Kind == RecordKind.Audit);
            await foreach (var (auditId, recordedAt, key) in store.AuditRowsAsync(c, null, m, Bound(day, auditPeriod.Years), onlyLoadedKeys: false, ct))
            {
                var date = TokyoDate(recordedAt);
                if (!auditPeriod.IsPast(date, day)) continue;
                if (HeldAuditKey(key, heldPeople, heldFiles)) { held++; continue; }
                items.Add(new PlannedItem(RecordKind.Audit, auditId.ToString(CultureInfo.InvariantCulture), date));
            }
            return true;
        }, cancellationToken);

        var runPeriod = policy[RecordKind.Run];
        var runs = await context.ReadAsync((c, ct) => store.UnreferencedRunsAsync(c, null, m, Bound(day, runPeriod.Years), onlyLoadedKeys: false, ct), cancellationToken);
        foreach (var (runId, endedAt) in runs)
        {
            var ended = TokyoDate(endedAt);
            if (runPeriod.IsPast(ended, day)) items.Add(new PlannedItem(RecordKind.Run, runId.ToString(CultureInfo.InvariantCulture), ended));
        }

        foreach (var file in RetainedFiles.Scan(context.Settings, inboxes ?? context.Settings.PurgeInboxDirectories))
        {
            if (!policy[file.Kind].IsPast(file.Date, day)) continue;
            items.Add(new PlannedItem(file.Kind, file.Path, file.Date));
            lines.Add(new PurgeReport.Line(0, file.Kind, file.Path, file.Date));
        }

        // Execute takes the items in this order: people before their numbers, lists, audit rows, runs (which the others may name), files.
        var ordered = items.OrderBy(i => KindOrder(i.Kind)).ToList();
        var seqOf = new Dictionary<(RecordKind, string), long>();
        for (var i = 0; i < ordered.Count; i++) seqOf[(ordered[i].Kind, ordered[i].Key)] = i + 1;
        var numbered = lines.Select(l => l with { Seq = seqOf[(l.Kind, l.Key)] }).OrderBy(l => l.Seq).ToList();
        var counts = RecordKinds.All.Select(kind =>
        {
            var of = ordered.Where(i => i.Kind == kind).Select(i => i.EventDate).ToList();
            return new KindCount(kind, of.Count, of.Count > 0 ? of.Min() : null, of.Count > 0 ? of.Max() : null);
        }).Where(c => c.Count > 0).ToList();
        var personCount = ordered.LongCount(i => i.Kind == RecordKind.Person);
        var countsJson = JsonSerializer.Serialize(counts.ToDictionary(c => RecordKinds.Name(c.Kind),
            c => new Dictionary<string, object?> { ["count"] = c.Count, ["oldest"] = c.Oldest?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["newest"] = c.Newest?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }));

        long planId = 0;
        await context.CommitChunkAsync(async (c, tx, ct) =>
        {
            var dropped = await store.DropUnfinishedPlansAsync(c, tx, m, ct);
            if (dropped > 0) context.Log.Warn("報告書が作られる前に止まった削除計画 {0} 件を取り除きました（実行できない計画でした）。", dropped);
            planId = await store.AddPlanAsync(c, tx, m, context.RunId, day, policy, ordered.Count, personCount, personsOnFile, countsJson, held, context.Clock.GetUtcNow(), ct);
            await store.AddItemsAsync(c, tx, m, planId, 1, ordered, ct);
            var result = new RunCounts();
            result["persons"] = personCount;
            result["numbers"] = ordered.LongCount(i => i.Kind == RecordKind.IndividualNumber);
            result["jps_files"] = ordered.LongCount(i => i.Kind == RecordKind.JpsFile);
            result["audit_rows"] = ordered.LongCount(i => i.Kind == RecordKind.Audit);
            result["runs"] = ordered.LongCount(i => i.Kind == RecordKind.Run);
            result["files"] = ordered.LongCount(i => RecordKinds.IsFile(i.Kind));
            result["held"] = held;
            result["items"] = ordered.Count;
            return result;
        }, "plan", []);
        PlanId = planId;

        var overCap = PurgeExecuteJob.IsOverCap(personCount, personsOnFile, context.Settings.PurgeCapPercent);
        var command = $"nenkin-purge execute {planId.ToString(CultureInfo.InvariantCulture)} --confirm-count {ordered.Count.ToString(CultureInfo.InvariantCulture)}{(overCap ? " --over-cap" : "")}";
        var summary = new PurgeReport.Summary(planId, day, policy.Source, policy.Digest, counts, held, personsOnFile, command, overCap);
        var (csv, xlsx) = await PurgeReport.WriteAsync(context.Settings.ReportDirectory, summary, policy, numbered, context.DryRun, cancellationToken);
        await context.CommitChunkAsync(async (c, tx, ct) =>
        {
            await store.SetPlanReadyAsync(c, tx, planId, csv, xlsx, ct);
            return new RunCounts();
        }, "plan:" + planId.ToString(CultureInfo.InvariantCulture), []);

        context.Log.Info("基準日 {0} の削除計画 {1}（宛名 {2:N0} 件中）: {3}（保存の継続中で除外 {4:N0} 件）。何も削除していません。", CalendarDate.ToIso(day), planId,
            personsOnFile, counts.Count == 0 ? "対象なし" : string.Join("、", counts.Select(c => $"{RecordKinds.Label(c.Kind)} {c.Count:N0} 件")), held);
        context.Log.Info("報告書: {0}（{1}）", csv, Path.GetFileName(xlsx));
        if (context.DryRun)
        {
            context.Log.Info("ドライランのため計画は保存していません。");
            return new JobOutcome(false, $"ドライラン: 削除計画の対象 {ordered.Count:N0} 件（報告書 {csv}）");
        }
        if (overCap)
            context.Log.Warn("削除する宛名 {0:N0} 件は宛名 {1:N0} 件の {2}% を超えます。承認のうえ実行するときは --over-cap を付けてください。", personCount, personsOnFile,
                context.Settings.PurgeCapPercent.ToString(CultureInfo.InvariantCulture));
        context.Log.Info("報告書の承認（係長の署名）を受けてから、次のコマンドで実行してください: {0}", command);
        Command = command;
        return new JobOutcome(false, command);
    }

    private static string? AddressOf(PersonOnRecord person) =>
        person.DisclosureBlock ? PurgeReport.Hidden : string.IsNullOrEmpty(person.AddressSuffix) ? person.Address : $"{person.Address}　{person.AddressSuffix}";

    public static int KindOrder(RecordKind kind) => kind switch
    {
        RecordKind.Person => 0,
        RecordKind.IndividualNumber => 1,
        RecordKind.JpsFile => 2,
        RecordKind.Audit => 3,
        RecordKind.Run => 4,
        _ => 5,
    };

    public static DateOnly TokyoDate(DateTimeOffset instant) => DateOnly.FromDateTime(BusinessClock.ToTokyo(instant).DateTime);

    /// <summary>An instant safely after every record whose Tokyo date could be past a period of <paramref name="years"/> on <paramref name="day"/>.</summary>
    public static DateTimeOffset Bound(DateOnly day, int years) =>
        new(day.AddYears(-years).AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>An audit row about a held person (their person, number or 資格 rows) or a held list is evidence: kept while the hold is.</summary>
    public static bool HeldAuditKey(string key, IReadOnlySet<string> heldPeople, IReadOnlySet<string> heldFiles)
    {
        var parts = key.Split('/');
        if (parts.Length < 3) return false;
        return parts[1] switch
        {
            "person" or "person_individual_number" or "qualification" => heldPeople.Contains(parts[2]),
            "jps_result_file" or "jps_filing_processed" => heldFiles.Contains(parts[2]),
            _ => false,
        };
    }
}
