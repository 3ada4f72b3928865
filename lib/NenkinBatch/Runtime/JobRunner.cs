using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using NLog;
using NenkinBatch.Foundation;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats;
using NenkinBatch.Persistence;

namespace NenkinBatch.Runtime;

/// <summary>How one invocation of a job was asked for: settings plus the per-run switches.</summary>
public sealed record JobInvocation(
    Settings Settings,
    bool DatabaseFromCommandLine = false,
    bool DryRun = false,
    bool Verbose = false,
    bool Quiet = false,
    string? SummaryFile = null)
{
    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Error { get; init; } = Console.Error;
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    public bool Interactive { get; init; } = ProgressReporter.IsInteractive;
    /// <summary>Folders the job writes into besides the log folder (reconcile's reports): prepared owner-only before the run starts.</summary>
    public IReadOnlyList<OutputFolder> OutputFolders { get; init; } = [];
}

/// <summary>A folder a job writes into, what it is for and the option and settings that name it, as the operator knows them.</summary>
public sealed record OutputFolder(string Path, string What, string Names);

/// <summary>
/// What every job run goes through, in this order: check the summary file's folder and the log folder
/// (first: they are where the operator learns what happened), open the store (an SQLite file must exist:
/// only nenkin-admin db migrate creates one), check the output folders and the files settings name, take
/// the job's lock, fail runs a killed process left STARTED, identify the input, register the run (resuming
/// a failed one with the same input), work, record how it ended, write the summary file. Every way out has
/// its own exit code and an operator message.
/// </summary>
public static class JobRunner
{
    private static readonly JsonSerializerOptions SummaryJson = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private const string LogFolder = "ログの出力先", LogFolderNames = "--log-dir、設定 logDir、環境変数 NENKIN_LOG_DIR";

    public static async Task<int> RunAsync(Job job, JobInvocation invocation, CancellationToken cancellationToken)
    {
        var settings = invocation.Settings;
        try
        {
            CheckSummaryPath(invocation.SummaryFile);
        }
        catch (OperatorException e)
        {
            invocation.Error.WriteLine(e.Message);
            return (int)e.ExitCode;
        }
        try
        {
            PrivateFolder.Prepare(settings.LogDirectory, LogFolder, LogFolderNames);
        }
        catch (OperatorException e)
        {
            // No log to write to, and nothing has run: the console and the summary are all there is.
            invocation.Error.WriteLine(e.Message);
            var now = invocation.Clock.GetUtcNow();
            if (invocation.SummaryFile is { } summary)
                await WriteSummaryAsync(summary, null, job.Name, RunStatus.Failed, e.ExitCode, now, now, TimeSpan.Zero, new RunCounts(job.CountNames), e.Message, null, invocation.DryRun, invocation.Error.WriteLine);
            return (int)e.ExitCode;
        }
        using var logFactory = Logging.Create(new Logging.Options(settings.LogDirectory, job.Name, invocation.Verbose, invocation.Quiet, invocation.Out, invocation.Error) { Clock = invocation.Clock });
        var log = logFactory.GetLogger(job.Name);
        var clock = invocation.Clock;
        var startedAt = clock.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        long? runId = null;
        long? resumedFrom = null;
        RunCounts counts = new(job.CountNames);
        string status;
        ExitCode exitCode;
        string? message = null;
        RunRegistry? registry = null;
        Store? store = null;
        var working = false;

        try
        {
            var target = DatabaseTarget.Parse(settings.Database, invocation.DatabaseFromCommandLine);
            store = Store.Create(target);
            store.CheckUsable(creating: false);
            foreach (var folder in invocation.OutputFolders) PrivateFolder.Prepare(folder.Path, folder.What, folder.Names);
            foreach (var path in invocation.OutputFolders.Select(f => f.Path).Prepend(settings.LogDirectory).Append(target.Kind == StoreKind.Sqlite ? target.Display : null))
                WarnIfOpenToOthers(path, log);
            CheckSettingFile(settings.KeyFile, "個人番号の暗号鍵ファイル", "設定 keyFile、環境変数 NENKIN_KEY_FILE", mustExist: false);
            CheckSettingFile(settings.CodeTablesFile, "コード表ファイル", "設定 codeTables、環境変数 NENKIN_CODE_TABLES", mustExist: true);
            var pipeline = Resilience.ChunkPipeline(DatabaseWork.IsUnavailable, settings.RetryMaxAttempts, settings.RetryBaseDelay, clock, log);
            var codes = settings.CodeTablesFile is { } codeFile ? CodeTables.LoadFile(codeFile) : CodeTables.BuiltIn;
            registry = new RunRegistry(store, clock);
            // Registry writes are retried like chunks: a dropped connection must not fail a run that could go on.
            Task<T> Db<T>(Func<CancellationToken, Task<T>> action) => DatabaseWork.RunAsync(pipeline, ct => new ValueTask<T>(action(ct)), cancellationToken);

            // The lock comes first: a second instance must say "already running" at once, not wait behind the first one's writes.
            var jobLock = await Db(ct => store.TryLockJobAsync(job.Name, settings.Municipality, ct));
            if (jobLock is null)
            {
                var holder = await registry.RunningAsync(settings.Municipality, job.Name, cancellationToken);
                throw new OperatorException(ExitCode.AlreadyRunning, holder is null
                    ? $"{job.Name} は別のプロセスで実行中です。終了を待ってから再実行してください。"
                    : $"{job.Name} は実行番号 {holder.RunId} で実行中です（ホスト {holder.Host}、PID {holder.ProcessId}、開始 {BusinessClock.ToTokyo(holder.StartedAt):yyyy-MM-dd HH:mm:ss}）。終了を待ってから再実行してください。");
            }
            await using (jobLock)
            {
                await DatabaseWork.RunAsync(pipeline, ct => EnsureSchemaAsync(store, clock, log, ct), cancellationToken);
                foreach (var abandoned in await Db(ct => registry.FailAbandonedAsync(settings.Municipality, job.Name, ct)))
                    log.Warn("実行番号 {0} は途中で終了していたため、失敗（FAILED）として記録しました。", abandoned);

                string parameters, key;
                try
                {
                    (parameters, key) = await job.IdentifyAsync(settings, cancellationToken);
                }
                catch (InputRejectedException rejected)
                {
                    runId = await registry.StartAsync(settings.Municipality, job.Name, rejected.File, "rejected", null, cancellationToken);
                    throw;
                }
                if (invocation.DryRun) key = "dry-run:" + key;

                var resumable = invocation.DryRun || !job.ResumesFromCheckpoint ? null : await Db(ct => registry.ResumableAsync(settings.Municipality, job.Name, key, ct));
                resumedFrom = resumable?.RunId;
                runId = await Db(ct => registry.StartAsync(settings.Municipality, job.Name, parameters, key, resumedFrom, ct));
                log = log.WithProperty("run", runId);
                log.Info("{0} 開始: 実行番号 {1}、{2}、データベース {3}{4}", job.Name, runId, parameters, target.Display, invocation.DryRun ? "（ドライラン: 何も保存しません）" : "");
                if (resumable is not null)
                {
                    counts = RunCounts.FromJson(resumable.Counts);
                    await Db(async ct => { await registry.CopyProblemsAsync(resumable.RunId, runId.Value, LineCheckpoint.LineOf(resumable.Checkpoint), ct); return true; });
                    log.Info("失敗した実行番号 {0} の続き（{1}）から再開します。", resumable.RunId, resumable.Checkpoint);
                }

                var context = new JobContext
                {
                    Settings = settings, Store = store, Clock = clock, Log = log, JobName = job.Name, RunId = runId.Value, Lock = jobLock,
                    Resilience = pipeline, Codes = codes, Out = invocation.Out, DryRun = invocation.DryRun,
                    ResumeCheckpoint = resumable?.Checkpoint, ResumedFromRunId = resumable?.RunId, Counts = counts,
                    Progress = new ProgressReporter(log, clock, invocation.Interactive, invocation.Error),
                };
                working = true;
                var outcome = await job.ExecuteAsync(context, cancellationToken);
                context.Progress.Finish();
                counts = context.Counts;
                message = outcome.Message;
                (status, exitCode) = outcome switch
                {
                    { InputRejected: true } => (RunStatus.CompletedWithErrors, ExitCode.InputRejected),
                    { HadRowErrors: true } => (RunStatus.CompletedWithErrors, ExitCode.CompletedWithRowErrors),
                    _ => (RunStatus.Completed, ExitCode.Success),
                };
                var finalCounts = counts.ToJson();
                await Db(async _ => { await registry.FinishAsync(runId.Value, status, (int)exitCode, null, finalCounts, CancellationToken.None); return true; });
            }
        }
        catch (Exception e)
        {
            // Before the job's work nothing of it is saved; a dry run saves nothing, but has done part of its work.
            bool? workSaved = !working ? false : invocation.DryRun ? null : true;
            (status, exitCode, message) = Classify(e, settings.LogDirectory, workSaved);
            // The console shows the message only; the log files keep the exception for whoever investigates.
            log.Error(e, message);
            await TryFinishAsync(registry, runId, status, exitCode, message, counts, log);
        }

        log.Info("{0} 終了: {1}（終了コード {2}、{3:F1} 秒）{4}", job.Name, status, (int)exitCode, stopwatch.Elapsed.TotalSeconds, FormatCounts(counts));
        if (invocation.SummaryFile is { } summaryFile)
            await WriteSummaryAsync(summaryFile, runId, job.Name, status, exitCode, startedAt, clock.GetUtcNow(), stopwatch.Elapsed, counts, message, resumedFrom, invocation.DryRun, warning => log.Warn(warning));
        if (store is not null) await store.DisposeAsync();
        logFactory.Flush();
        return (int)exitCode;
    }

    /// <summary>Applies pending migrations when the embedded file is new; otherwise refuses to run on an outdated schema.</summary>
    private static async ValueTask EnsureSchemaAsync(Store store, TimeProvider clock, Logger log, CancellationToken cancellationToken)
    {
        var migrator = new Migrator(store, clock);
        if (store.Kind == StoreKind.Sqlite)
        {
            var applied = await migrator.MigrateAsync(cancellationToken);
            if (applied.Count > 0) log.Info("データベース {0} を作成・更新しました（マイグレーション {1}）。", store.Target.Display, string.Join(", ", applied.Select(m => $"{m.Version:D4}")));
            return;
        }
        var pending = await migrator.PendingAsync(cancellationToken);
        if (pending.Count > 0)
            throw new OperatorException(ExitCode.RefusedBySafetyRule,
                $"データベースのスキーマが最新ではありません（未適用: {string.Join(", ", pending.Select(m => $"{m.Version:D4}_{m.Name}"))}）。先に nenkin-admin db migrate を実行してください。");
    }

    /// <param name="logDirectory">Where the exception was logged, when it was.</param>
    /// <param name="workSaved">Whether the job's work had begun to be committed; null when that cannot be said.</param>
    public static (string Status, ExitCode Code, string Message) Classify(Exception e, string? logDirectory = null, bool? workSaved = null) => e switch
    {
        OperationCanceledException => (RunStatus.Failed, ExitCode.Interrupted,
            "中断しました。確定済みの箇所までは保存されています。同じコマンドを再実行すると続きから再開します。"),
        InputRejectedException r => (RunStatus.Failed, ExitCode.InputRejected, $"入力ファイルを受け付けられません: {r.Message}"),
        OperatorException o => (RunStatus.Failed, o.ExitCode, o.Message),
        _ when DatabaseWork.IsUnavailable(e) => (RunStatus.Failed, ExitCode.DatabaseUnavailable, new DatabaseUnavailableException(e).Message),
        _ => (RunStatus.Failed, ExitCode.UnexpectedFailure,
            $"予期しないエラーで停止しました（{e.GetType().Name}）。"
            + (logDirectory is null ? "" : $"詳細は {logDirectory} のログファイルにあります。")
            + workSaved switch
            {
                true => "確定済みの箇所までは保存されているので、原因を取り除いてから再実行してください。",
                false => "処理は始まっていません（何も保存していません）。原因を取り除いてから再実行してください。",
                null => "原因を取り除いてから再実行してください。",
            }),
    };

    private static void CheckSummaryPath(string? path)
    {
        if (path is null) return;
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new OperatorException(ExitCode.UsageError, $"--summary の {full} はフォルダーです。書き込むファイルのパスを指定してください。");
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
            throw new OperatorException(ExitCode.UsageError, $"--summary のフォルダー {folder} がありません。パスを確認するか、先にフォルダーを作成してください。");
        PrivateFolder.CheckWritable(folder, "--summary のフォルダー", "--summary");
    }

    /// <summary>A file a setting names is checked before the run: a folder, a missing file that must exist, or one this account cannot read is the operator's to correct.</summary>
    private static void CheckSettingFile(string? path, string what, string names, bool mustExist)
    {
        if (path is null) return;
        if (Directory.Exists(path))
            throw new OperatorException(ExitCode.UsageError, $"{what} {path} はフォルダーです。{names} にはファイルのパスを指定してください。");
        if (!File.Exists(path))
        {
            if (!mustExist) return;
            throw new OperatorException(ExitCode.UsageError, $"{what} {path} がありません。{names} のパスを確認してください。");
        }
        try
        {
            using var file = File.OpenRead(path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new OperatorException(ExitCode.UsageError, $"{what} {path} を読めません（この利用者（{Environment.UserName}）に読み取り権限がありません）。ファイルの権限を確認してください。", e);
        }
    }

    /// <summary>Existing folders keep their permissions (a city may share one with a group on purpose); one every user can read is named.</summary>
    private static void WarnIfOpenToOthers(string? path, Logger log)
    {
        if (path is not null && PrivateFolder.OpenToOthers(path) is { } mode)
            log.Warn("{0} は他の利用者も読める権限（{1}）です。個人情報を含むため、所有者だけにしてください（例: chmod {2} {0}）。", path, mode, Directory.Exists(path) ? "700" : "600");
    }

    private static async Task TryFinishAsync(RunRegistry? registry, long? runId, string status, ExitCode exitCode, string message, RunCounts counts, Logger log)
    {
        if (registry is null || runId is null) return;
        try
        {
            await registry.FinishAsync(runId.Value, status, (int)exitCode, message, counts.ToJson(), CancellationToken.None);
        }
        catch (Exception e)
        {
            // The run stays STARTED; the next run of the job finds it and marks it FAILED.
            log.Warn("実行番号 {0} の終了をデータベースに記録できませんでした（{1}）。次回の実行で失敗として記録されます。", runId, e.GetType().Name);
        }
    }

    private static string FormatCounts(RunCounts counts) =>
        counts.Entries.Any() ? " " + string.Join("、", counts.Entries.Select(e => $"{e.Key} {e.Value:N0}")) : "";

    private static async Task WriteSummaryAsync(string path, long? runId, string job, string status, ExitCode exitCode, DateTimeOffset startedAt, DateTimeOffset endedAt,
        TimeSpan duration, RunCounts counts, string? message, long? resumedFrom, bool dryRun, Action<string> warn)
    {
        var summary = new Dictionary<string, object?>
        {
            ["run_id"] = runId,
            ["job"] = job,
            ["status"] = exitCode == ExitCode.AlreadyRunning ? "ALREADY_RUNNING" : status,
            ["exit_code"] = (int)exitCode,
            ["started_at"] = startedAt,
            ["ended_at"] = endedAt,
            ["duration_seconds"] = Math.Round(duration.TotalSeconds, 3),
            ["dry_run"] = dryRun,
            ["resumed_from_run_id"] = resumedFrom,
            ["counts"] = counts.Entries.ToDictionary(e => e.Key, e => e.Value),
            ["message"] = message,
        };
        try
        {
            var full = Path.GetFullPath(path);
            await File.WriteAllTextAsync(full, JsonSerializer.Serialize(summary, SummaryJson));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn($"集計ファイル {path} を書けませんでした: {e.Message}");
        }
    }
}
