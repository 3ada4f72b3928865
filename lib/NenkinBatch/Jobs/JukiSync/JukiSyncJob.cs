using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NenkinBatch.Domain;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Juki;
using NenkinBatch.Formats.Layouts;
using NenkinBatch.Foundation;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Juki;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.JukiSync;

public sealed record JukiSyncOptions
{
    public IReadOnlyList<string> Files { get; init; } = [];
    public string? Inbox { get; init; }
    /// <summary>A built-in layout name or a layout file.</summary>
    public string Layout { get; init; } = "juki-change-csv";
    public string? ReportDirectory { get; init; }
    /// <summary>A gap this many days old (since its first waiting row was stored) becomes a follow-up; 0: at the end of the run that found it. Null: the setting.</summary>
    public int? GapFollowUpDays { get; init; }
    /// <summary>A change raises follow-ups only when its 処理日 is at most this many days before the newest 処理日 of its file. Null: the setting.</summary>
    public int? FollowUpWindowDays { get; init; }
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(2);
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>
/// <c>nenkin-juki-sync</c>: keeps 宛名 current from the 住民基本台帳's change extracts, the initial full history and the daily
/// deltas alike (docs/architecture.md, "住基 sync"). Rows are applied per person in 履歴番号 order, in chunks each committed
/// with its checkpoint; rows that come before the one they follow wait in <c>juki_pending</c>. A file is known by its SHA-256:
/// once through, the same content again is skipped. Follow-ups for staff go to a list per run.
/// </summary>
public sealed class JukiSyncJob(JukiSyncOptions options) : Job
{
    public const string JobName = "juki-sync";
    private IncomingFiles? _incoming;

    public override string Name => JobName;

    public override string[] CountNames =>
    [
        "read", "applied", "duplicates", "held", "released", "rejected", "warnings", "people_created", "people_updated", "cancelled",
        "blocks_set", "blocks_lifted", "follow_ups", "files_done", "files_skipped", "files_rejected",
    ];

    public override async Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken)
    {
        _incoming = await IncomingFiles.GatherAsync(options.Files, options.Inbox, options.Settle, options.Clock, async (path, ct) =>
            {
                var input = await InputFile.InspectUtf8Async(path, ct);
                input.EnsureLastLineEnded();
                return input;
            },
            "反映するファイルがありません。ファイルを指定するか --inbox で受信フォルダーを指定してください。", cancellationToken);
        // The files' order is part of what is asked: the same files in another order are another run (though they end in the same state).
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("|", _incoming.Files.Select(f => f.Input?.Sha256 ?? f.Path)))));
        return ($"ファイル {_incoming.Describe()}", key);
    }

    public override async Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        var incoming = _incoming ?? throw new InvalidOperationException("IdentifyAsync must run first");
        incoming.LogGrowing(context, "次回の実行で反映します。");
        var protector = await context.OpenIndividualNumberProtectorAsync(cancellationToken);
        var store = context.Store.CreateJukiStore();
        var layout = Layout.Resolve(options.Layout);
        var today = BusinessClock.Today(context.Clock);
        var rules = new FollowUpRules(context.Codes);
        var rejectedCsv = new RejectedRowsCsv(Path.Combine(context.Settings.LogDirectory, $"juki-sync-rejected-{context.RunId}.csv"));
        var dryRunFollowUps = new List<FollowUp>();
        // A first load builds the people's secondary indexes at its end; one stopped part way has them back here, before anything else.
        if (!context.DryRun)
            await context.CommitBesideAsync(async (connection, transaction, ct) =>
            {
                if (await store.EnsureFirstLoadIndexesAsync(connection, transaction, ct) is > 0 and var built)
                    context.Log.Info("途中で止まった初回の取り込みが残した索引 {0} 個を作り直しました。", built);
            });

        foreach (var file in incoming.Files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (file.Rejected is { } inspectionRejected) throw inspectionRejected;
                if (await new FileSync(context, store, protector, layout, file.Input!, options, rules, rejectedCsv, today, dryRunFollowUps).RunAsync(cancellationToken))
                    incoming.Done(context, file);
            }
            catch (InputRejectedException rejected)
            {
                await incoming.RefuseAsync(context, file, rejected, rejectedCsv, "何も反映していません");
            }
        }

        await RaiseGapFollowUpsAsync(context, store, today, dryRunFollowUps, cancellationToken);
        rejectedCsv.Close();
        if (rejectedCsv.Count == 0) rejectedCsv.Delete();

        var listed = context.DryRun
            ? dryRunFollowUps.Select(f => new ListedFollowUp(f, null, f.Status)).ToList()
            : await context.ReadAsync(async (connection, ct) => await store.ListAsync(connection, context.Municipality, await RunsOfThisWorkAsync(connection, context, ct), ct), cancellationToken);
        var reportDirectory = options.ReportDirectory ?? context.Settings.ReportDirectory;
        var (csv, xlsx) = await FollowUpList.WriteAsync(reportDirectory, context.RunId, listed, context.DryRun, cancellationToken);
        var open = context.DryRun ? 0 : await context.ReadAsync((connection, ct) => store.CountOpenAsync(connection, context.Municipality, ct), cancellationToken);

        var c = context.Counts;
        c["follow_ups"] = listed.Count;
        context.Log.Info("読込 {0:N0} 行: 反映 {1:N0}（新規 {2:N0} 人、更新 {3:N0} 人）、重複 {4:N0}、欠番待ち {5:N0}、待機から反映 {6:N0}、取消し {7:N0}、除外 {8:N0}",
            c["read"], c["applied"], c["people_created"], c["people_updated"], c["duplicates"], c["held"], c["released"], c["cancelled"], c["rejected"]);
        if (c["blocks_set"] + c["blocks_lifted"] > 0)
            context.Log.Info("支援措置: 設定 {0:N0} 人、解除 {1:N0} 人（監査ログに記録しました）", c["blocks_set"], c["blocks_lifted"]);
        context.Log.Info("要対応の一覧: {0}（{1:N0} 件; この実行で挙げた・取り下げたもの）。未対応は全体で {2:N0} 件です。", csv, listed.Count, open);
        context.Log.Info("同じ内容の一覧（Excel）: {0}", xlsx);
        if (rejectedCsv.Count > 0)
            context.Log.Warn("除外した行とファイルの一覧: {0}（nenkin-admin runs show {1} でも確認できます）", rejectedCsv.Path, context.RunId);
        return new JobOutcome(c["rejected"] > 0, InputRejected: c["files_rejected"] > 0);
    }

    /// <summary>
    /// After the files: a person whose next 履歴番号 is still missing, with rows waiting <see cref="JukiSyncOptions.GapFollowUpDays"/> days or
    /// more, gets a follow-up; a gap follow-up whose number has come since is resolved. Idempotent: a rerun does it again to the same end.
    /// </summary>
    private async Task RaiseGapFollowUpsAsync(JobContext context, JukiStore store, DateOnly today, List<FollowUp> dryRunFollowUps, CancellationToken cancellationToken)
    {
        await context.CommitChunkAsync(async (connection, transaction, ct) =>
        {
            var counts = new RunCounts("follow_ups");
            await store.ResolveFilledGapsAsync(connection, transaction, context.Municipality, context.RunId, ct);
            var gaps = await store.HeldGapsAsync(connection, transaction, context.Municipality, today.AddDays(-(options.GapFollowUpDays ?? context.Settings.JukiGapFollowUpDays)), ct);
            var followUps = gaps.Select(g => FollowUpRules.ForGap(g.AtenaNumber, g.Missing, g.WaitingSince, today)).ToList();
            await store.AddFollowUpsAsync(connection, transaction, context.Municipality, context.RunId, followUps, ct);
            if (context.DryRun) dryRunFollowUps.AddRange(followUps);
            foreach (var gap in gaps.Take(20))
                context.Log.Warn("宛名番号 {0}: 履歴番号 {1} が届いていません（{2:yyyy-MM-dd} から後の行が待機中）。", gap.AtenaNumber, gap.Missing, gap.WaitingSince);
            if (gaps.Count > 20) context.Log.Warn("…ほか {0:N0} 人に欠番があります（要対応の一覧にあります）。", gaps.Count - 20);
            return counts;
        }, "gaps", []);
    }

    /// <summary>This run and the failed runs it continues: the follow-ups of all of them are this run's list.</summary>
    private static async Task<List<long>> RunsOfThisWorkAsync(DbConnection connection, JobContext context, CancellationToken cancellationToken)
    {
        var runs = new List<long> { context.RunId };
        for (var run = context.ResumedFromRunId; run is { } r && runs.Count < 1000; )
        {
            runs.Add(r);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT resumed_from_run_id FROM batch_run WHERE run_id = {r.ToString(CultureInfo.InvariantCulture)}";
            run = await command.ExecuteScalarAsync(cancellationToken) is { } v and not DBNull ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : null;
        }
        return runs;
    }
}
