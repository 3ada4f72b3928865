using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Reports;
using NenkinBatch.Foundation;
using NenkinBatch.Matching;
using NenkinBatch.Persistence.Audit;
using NenkinBatch.Persistence.Reconcile;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Reconcile;

public sealed record DecideOptions
{
    /// <summary>The workbook (reconcile-&lt;run&gt;.xlsx) with the clerk's decisions.</summary>
    public required string Workbook { get; init; }
    /// <summary>Apply the valid decisions; without it the run only says what it would do (the default).</summary>
    public bool Apply { get; init; }
    /// <summary>Where the list of what was done with each decision goes; the setting reportDir when null.</summary>
    public string? ReportDirectory { get; init; }
}

/// <summary>
/// <c>nenkin-reconcile decide WORKBOOK</c>: reads the clerk's decisions (判断, 宛名番号（職員入力）) from the workbook, checks each
/// against the row the report run stored (its hidden 照合ID), the person's record and the decisions taken since, and says what it
/// would do (the default) or, with <c>--apply</c>, applies the decided matches through the same safe changes as
/// <c>reconcile --apply</c>, remembers every decision, and audits both under this run (so <c>undo RUN</c> reverts them).
/// Refused decisions are listed with the reason (exit 10). The same workbook applied twice changes nothing the second time.
/// It runs under reconcile's lock: a decision never races a reconcile.
/// </summary>
public sealed class ReconcileDecideJob(DecideOptions options) : Job
{
    public override string Name => ReconcileJob.JobName;
    public override bool ResumesFromCheckpoint => false;
    public override string[] CountNames => ["decisions", "accepted", "applied", "unchanged", "held", "refused", "changes"];

    private IReadOnlyList<WorkbookDecision>? _decisions;
    private string _sha = "";

    public override async Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken)
    {
        // Read before the run is registered: a file that is no workbook of ours is the operator's to correct.
        _decisions = ReconcileWorkbookReader.Read(options.Workbook);
        await using (var stream = File.OpenRead(options.Workbook))
            _sha = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken));
        var mode = options.Apply ? "適用（--apply）" : "ドライラン（確認のみ）";
        return ($"職員の判断の反映 {Path.GetFileName(options.Workbook)}、{mode}", $"decide|{_sha}|{(options.Apply ? "apply" : "report")}");
    }

    public override async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var decisions = _decisions ?? ReconcileWorkbookReader.Read(options.Workbook);
        var apply = options.Apply && !context.DryRun;
        var user = Environment.UserName;
        context.Counts["decisions"] = decisions.Count;
        context.Log.Info("{0} の判断 {1:N0} 件を確認します（判断した職員: OS ユーザー {2}）。", Path.GetFileName(options.Workbook), decisions.Count, user);
        if (decisions.Count == 0)
        {
            context.Log.Info("判断欄・宛名番号（職員入力）に記入された行がありません。");
            return new JobOutcome(false);
        }

        var matcher = await MatchingInputs.LoadMatcherAsync(context, cancellationToken);
        var files = await context.ReadAsync((c, ct) => ReconcileStore.ListFilesAsync(c, context.Municipality, ct), cancellationToken);
        var checker = new DecisionCheck(context, matcher, files, user);
        var outcomes = new List<DecisionOutcome>();
        foreach (var decision in decisions) outcomes.Add(await checker.CheckAsync(decision, cancellationToken));
        foreach (var outcome in outcomes)
        {
            context.Counts[outcome.Result switch
            {
                DecisionResult.Accepted => "accepted",
                DecisionResult.Unchanged => "unchanged",
                DecisionResult.Held => "held",
                _ => "refused",
            }]++;
        }

        if (apply)
        {
            await using var writer = new ReportRows(context, matcher, files, apply: true);
            var audit = context.Store.CreateAuditWriter();
            var accepted = outcomes.Where(o => o.Result == DecisionResult.Accepted).ToList();
            foreach (var chunk in accepted.Chunk(context.Settings.ChunkSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await context.CommitChunkAsync(async (connection, transaction, ct) =>
                {
                    var counts = new RunCounts();
                    var entries = new List<AuditEntry>();
                    foreach (var outcome in chunk)
                    {
                        // Taken already (a retried chunk): the row's decisions are in, nothing more to do.
                        if (await ClerkDecisions.ExistsAsync(connection, transaction, context.Municipality, outcome.Row!.FileId, outcome.Row.LineNumber,
                                outcome.Remember[0].AtenaNumber, ct)) continue;
                        if (outcome.Same is { } same)
                        {
                            writer.Make(outcome.Row, new MatchDecision(MatchKind.Automatic, same, [], null), null);
                            var (applied, notApplied) = await SafeChanges.ApplyAsync(connection, transaction, context.Municipality, context.RunId, writer.TakeChanges(), ct);
                            entries.AddRange(applied);
                            counts["changes"] += applied.Count;
                            if (notApplied > 0)
                                context.Log.Warn("{0} {1} 行目: 判断の後で記録が変わっていた {2} 件の変更は適用していません。", outcome.Decision.Sheet, outcome.Decision.Row, notApplied);
                        }
                        foreach (var remember in outcome.Remember)
                        {
                            if (!await ClerkDecisions.AddAsync(connection, transaction, context.Municipality, remember, ct)) continue;
                            entries.Add(new AuditEntry(AuditKey.Decision(context.Municipality, remember.FileId, remember.LineNumber, remember.AtenaNumber), "INSERT", null,
                                AuditEntry.Snapshot(new DecisionState(remember.Same, remember.ReportRunId, remember.DecidedBy, CalendarDate.ToIso(remember.DecidedOn),
                                    outcome.Decision.Sheet, outcome.Decision.Row)), false));
                        }
                        counts["applied"]++;
                    }
                    await audit.WriteAsync(connection, transaction, context.Municipality, context.RunId, context.JobName, context.Clock.GetUtcNow(), entries, ct);
                    return counts;
                }, "decide:" + chunk[^1].Decision.Row.ToString(CultureInfo.InvariantCulture), []);
            }
        }

        var directory = options.ReportDirectory ?? context.Settings.ReportDirectory;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"decide-{context.RunId.ToString(CultureInfo.InvariantCulture)}{(apply ? "" : "-dryrun")}.csv");
        await using (var csv = CsvOutput.ForSpreadsheet(path + ".partial"))
        {
            csv.Write("シート", "行", "照合ID", "判断", "宛名番号（職員入力）", "結果", "理由");
            foreach (var o in outcomes)
                csv.Write(o.Decision.Sheet, o.Decision.Row.ToString(CultureInfo.InvariantCulture), o.Decision.FingerprintText, o.Decision.Choice, o.Decision.ClerkAtena,
                    o.Describe(apply), o.Reason);
        }
        File.Move(path + ".partial", path, overwrite: true);

        foreach (var refused in outcomes.Where(o => o.Result == DecisionResult.Refused).Take(20))
            context.Log.Warn("反映しない: {0} {1} 行目 — {2}", refused.Decision.Sheet, refused.Decision.Row, refused.Reason);
        context.Log.Info("判断 {0:N0} 件: {1} {2:N0}、反映済み {3:N0}、保留 {4:N0}、反映しない {5:N0}。一覧: {6}", decisions.Count, apply ? "反映" : "反映できる",
            context.Counts["accepted"], context.Counts["unchanged"], context.Counts["held"], context.Counts["refused"], path);
        if (apply && context.Counts["applied"] > 0)
            context.Log.Info("反映した判断と変更は監査ログに実行番号 {0} として記録しました（nenkin-reconcile undo {0} で取り消せます）。", context.RunId);
        else if (!apply && context.Counts["accepted"] > 0)
            context.Log.Info("反映するには同じ指定に --apply を付けて実行してください。");
        if (context.Counts["refused"] == 0) return new JobOutcome(false);
        return new JobOutcome(true, $"反映しない判断が {context.Counts["refused"]:N0} 件あります（理由は {path}）。照合結果を確認し、必要なら照合をやり直してから判断してください。");
    }

    /// <summary>What a decision's audit row says (never a number of the person).</summary>
    private sealed record DecisionState(bool Same, long ReportRunId, string DecidedBy, string DecidedOn, string Sheet, int Row);
}

internal enum DecisionResult { Accepted, Unchanged, Held, Refused }

/// <summary>What <c>decide</c> makes of one decision: the row it is about, the person it matches (if any) and the decisions to remember.</summary>
internal sealed record DecisionOutcome(WorkbookDecision Decision, DecisionResult Result, string Reason, StoredJpsRow? Row, Scored? Same,
    IReadOnlyList<RememberedDecision> Remember)
{
    public static DecisionOutcome Refuse(WorkbookDecision decision, string reason) => new(decision, DecisionResult.Refused, reason, null, null, []);

    public string Describe(bool applied) => Result switch
    {
        DecisionResult.Accepted => applied ? "反映" : "反映できる",
        DecisionResult.Unchanged => "反映済み（変更なし）",
        DecisionResult.Held => "保留（何もしない）",
        _ => "反映しない",
    };
}

/// <summary>The checks of one decision against the stored report row, the person's record and the decisions taken since.</summary>
internal sealed class DecisionCheck(JobContext context, Matcher matcher, List<ListFile> files, string user)
{
    private readonly Dictionary<string, int> _people = Enumerable.Range(0, matcher.Index.Count).ToDictionary(i => matcher.Index[i].AtenaNumber, StringComparer.Ordinal);
    private readonly HashSet<(long, long)> _seen = [];

    public async Task<DecisionOutcome> CheckAsync(WorkbookDecision decision, CancellationToken cancellationToken)
    {
        var m = context.Municipality;
        if (!RowFingerprint.TryParse(decision.FingerprintText, out var fingerprint))
            return DecisionOutcome.Refuse(decision, "照合ID が読めません。照合結果の行をコピーした行には判断できません。元の行で判断してください");
        if (!_seen.Add((fingerprint.FileId, fingerprint.Line)))
            return DecisionOutcome.Refuse(decision, "同じ行への判断がブックの中に二つあります（行を複製していませんか）。一つにしてください");
        var stored = await context.ReadAsync((c, ct) => ClerkDecisions.FindRowAsync(c, null, m, fingerprint.RunId, fingerprint.FileId, fingerprint.Line, ct), cancellationToken);
        if (stored is null)
            return DecisionOutcome.Refuse(decision, $"実行番号 {fingerprint.RunId} の照合結果にこの行はありません。そのデータベースの照合結果か確認してください");
        if (!string.Equals(stored.Digest, fingerprint.Digest, StringComparison.Ordinal))
            return DecisionOutcome.Refuse(decision, "行の内容が照合結果の行と一致しません（照合ID が別の行のものです）。元の照合結果で判断してください");
        if (files.All(f => f.FileId != fingerprint.FileId))
            return DecisionOutcome.Refuse(decision, "この行の一覧表は照合の後で置き換えられています。新しい一覧表の照合結果で判断してください");
        var row = await context.ReadAsync((c, ct) => ReconcileStore.ReadRowAsync(c, m, fingerprint.FileId, fingerprint.Line, ct), cancellationToken);
        if (row is null) return DecisionOutcome.Refuse(decision, "この行は一覧表にありません（データベースが照合の後で変わっています）");

        var choice = decision.Choice;
        var typed = decision.ClerkAtena;
        string? target = null;
        var same = true;
        if (choice == DecisionColumns.Hold) return typed.Length > 0
            ? DecisionOutcome.Refuse(decision, "保留と宛名番号が両方記入されています。どちらかにしてください")
            : new DecisionOutcome(decision, DecisionResult.Held, "", row, null, []);
        if (DecisionColumns.Choices.Take(3).ToList().IndexOf(choice) is var n and >= 0)
        {
            if (n >= stored.Candidates.Count) return DecisionOutcome.Refuse(decision, $"{choice} はこの行にありません（候補は {stored.Candidates.Count} 人です）");
            target = stored.Candidates[n].Atena;
            if (typed.Length > 0 && typed != target)
                return DecisionOutcome.Refuse(decision, $"判断（{choice} = 宛名番号 {target}）と宛名番号（職員入力）{typed} が別の人を指しています。どちらかにしてください");
        }
        else if (choice == DecisionColumns.Different)
        {
            if (typed.Length > 0) return DecisionOutcome.Refuse(decision, "別人（市未登録）と宛名番号が両方記入されています。どちらかにしてください");
            same = false;
        }
        else if (choice.Length > 0)
            return DecisionOutcome.Refuse(decision, $"判断「{choice}」は選べる値（{string.Join("、", DecisionColumns.Choices)}）のどれでもありません");
        else target = typed;

        // Decided since (by another run, or this workbook applied before): the same decision again changes nothing; another is refused.
        var earlier = await context.ReadAsync((c, ct) => ClerkDecisions.OfRowAsync(c, null, m, row.FileId, row.LineNumber, ct), cancellationToken);
        if (earlier.Count > 0)
        {
            var atenas = same ? [target!] : stored.Candidates.Count > 0 ? stored.Candidates.Select(c => c.Atena).ToList() : [""];
            if (earlier.All(e => e.Same == same) && earlier.Select(e => e.AtenaNumber).Order(StringComparer.Ordinal).SequenceEqual(atenas.Order(StringComparer.Ordinal)))
                return new DecisionOutcome(decision, DecisionResult.Unchanged, $"実行番号 {earlier[0].DecidedRunId} で同じ判断を反映済みです", row, null, []);
            var first = earlier[0];
            return DecisionOutcome.Refuse(decision,
                $"この行は実行番号 {first.DecidedRunId}（{CalendarDate.ToIso(first.DecidedOn)}、{first.DecidedBy}）で別の判断が反映されています。変えるには先に nenkin-reconcile undo {first.DecidedRunId} を実行してください");
        }

        var remember = new List<RememberedDecision>();
        var key = ClerkDecisions.IdentityKey(row);
        var today = BusinessClock.Today(context.Clock);
        Scored? match = null;
        if (same)
        {
            if (!_people.TryGetValue(target!, out var person)) return DecisionOutcome.Refuse(decision, $"宛名番号 {target} の人は市の記録にいません");
            var onFile = matcher.Index[person];
            if (stored.Candidates.FirstOrDefault(c => c.Atena == target) is { } candidate && candidate.Version != onFile.UpdatedRunId)
                return DecisionOutcome.Refuse(decision,
                    $"宛名番号 {target} の記録は照合の後で変更されています（実行番号 {onFile.UpdatedRunId}）。もう一度照合し、新しい照合結果で判断してください");
            match = matcher.ScoreOf(new RowIdentity(row.Identity(), matcher.Comparer.Kanji), person);
            if (match.Value.Levels.PensionNumber == NumberLevel.Differs)
                return DecisionOutcome.Refuse(decision, $"宛名番号 {target} には一覧表の行と異なる基礎年金番号が記録されています");
            if (match.Value.Levels.IndividualNumber == NumberLevel.Differs)
                return DecisionOutcome.Refuse(decision, $"宛名番号 {target} の個人番号が一覧表の行と異なります");
            if (row.BasicPensionNumber is { } number && matcher.Index.WithPensionNumber(number).Select(i => matcher.Index[i].AtenaNumber).FirstOrDefault(a => a != target) is { } holder)
                return DecisionOutcome.Refuse(decision, $"一覧表の基礎年金番号は宛名番号 {holder} に記録されています");
            remember.Add(new RememberedDecision(row.FileId, row.LineNumber, key, target!, true, stored.RunId, context.RunId, today, user));
        }
        else
        {
            // 別人: none of the row's candidates is its person (on a row without candidates: it is decided, nobody is ruled out).
            foreach (var candidate in stored.Candidates.Count > 0 ? stored.Candidates.Select(c => c.Atena) : [""])
                remember.Add(new RememberedDecision(row.FileId, row.LineNumber, key, candidate, false, stored.RunId, context.RunId, today, user));
        }

        return new DecisionOutcome(decision, DecisionResult.Accepted, "", row, match, remember);
    }
}
