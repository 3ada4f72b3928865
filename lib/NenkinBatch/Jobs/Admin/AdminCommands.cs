using System.Globalization;
using NenkinBatch.Foundation;
using NenkinBatch.Persistence;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Admin;

/// <summary>The operator's tools around the jobs: the schema and the run registry.</summary>
public sealed class AdminCommands(Settings settings, bool databaseFromCommandLine, TextWriter output, TimeProvider clock) : IAsyncDisposable
{
    private readonly Store _store = Store.Create(DatabaseTarget.Parse(settings.Database, databaseFromCommandLine));

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        _store.CheckUsable(creating: true);
        var applied = await new Migrator(_store, clock).MigrateAsync(cancellationToken);
        output.WriteLine(applied.Count == 0
            ? $"{_store.Target.Display}: スキーマは最新です（適用するマイグレーションはありません）。"
            : $"{_store.Target.Display}: マイグレーションを適用しました: {string.Join(", ", applied.Select(m => $"{m.Version:D4}_{m.Name}"))}");
        return (int)ExitCode.Success;
    }

    public async Task<int> StatusAsync(CancellationToken cancellationToken)
    {
        _store.CheckUsable(creating: false);
        var migrator = new Migrator(_store, clock);
        var applied = await migrator.AppliedAsync(cancellationToken);
        output.WriteLine($"データベース: {_store.Target.Display}");
        foreach (var m in applied)
            output.WriteLine($"  適用済み  {m.Version:D4}_{m.Name}  {m.AppliedAt}");
        var appliedVersions = applied.Select(m => m.Version).ToHashSet();
        var pending = migrator.Available.Where(m => !appliedVersions.Contains(m.Version)).ToList();
        foreach (var m in pending)
            output.WriteLine($"  未適用    {m.Version:D4}_{m.Name}");
        output.WriteLine(pending.Count == 0 ? "スキーマは最新です。" : $"未適用のマイグレーションが {pending.Count} 件あります。nenkin-admin db migrate を実行してください。");
        // Jobs refuse an outdated schema with this code; a morning check that says the same is easy to monitor.
        return (int)(pending.Count == 0 ? ExitCode.Success : ExitCode.RefusedBySafetyRule);
    }

    public async Task<int> ListRunsAsync(int limit, bool failedOnly, CancellationToken cancellationToken)
    {
        _store.CheckUsable(creating: false);
        if (!await EnsureExistsAsync(cancellationToken)) return (int)ExitCode.Success;
        var runs = await new RunRegistry(_store, clock).RecentAsync(settings.Municipality, limit, failedOnly, cancellationToken);
        output.WriteLine("実行番号  ジョブ            状態                   開始                 所要(秒)  終了コード  件数");
        foreach (var run in runs)
        {
            var duration = run.EndedAt is { } end ? (end - run.StartedAt).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) : "-";
            output.WriteLine($"{run.RunId,8}  {run.Job,-16}  {run.Status,-21}  {BusinessClock.ToTokyo(run.StartedAt):yyyy-MM-dd HH:mm:ss}  {duration,8}  {(run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"),10}  {RunCounts.FromJson(run.Counts)}");
        }
        if (runs.Count == 0) output.WriteLine(failedOnly ? "失敗した実行はありません。" : "実行の記録はまだありません。");
        return (int)ExitCode.Success;
    }

    public async Task<int> ShowRunAsync(long runId, CancellationToken cancellationToken)
    {
        _store.CheckUsable(creating: false);
        var registry = new RunRegistry(_store, clock);
        var run = await EnsureExistsAsync(cancellationToken) ? await registry.GetAsync(runId, cancellationToken) : null;
        if (run is null || run.MunicipalityCode != settings.Municipality.Value)
            throw new OperatorException(ExitCode.UsageError, $"実行番号 {runId} の記録はありません。nenkin-admin runs で番号を確認してください。");
        output.WriteLine($"実行番号: {run.RunId}");
        output.WriteLine($"ジョブ:   {run.Job}");
        output.WriteLine($"状態:     {run.Status}（終了コード {run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"}）");
        output.WriteLine($"入力:     {run.Parameters}");
        output.WriteLine($"開始:     {BusinessClock.ToTokyo(run.StartedAt):yyyy-MM-dd HH:mm:ss}　終了: {(run.EndedAt is { } e ? BusinessClock.ToTokyo(e).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-")}");
        output.WriteLine($"実行環境: {run.Host}（利用者 {run.OsUser}、PID {run.ProcessId}）");
        if (run.ResumedFromRunId is { } from) output.WriteLine($"再開元:   実行番号 {from}");
        output.WriteLine($"件数:     {RunCounts.FromJson(run.Counts)}");
        if (run.Checkpoint is not null) output.WriteLine($"確定済み: {run.Checkpoint}");
        if (run.Error is not null) output.WriteLine($"エラー:   {run.Error}");
        var problems = await registry.ProblemsAsync(runId, cancellationToken);
        if (problems.Count > 0)
        {
            output.WriteLine($"除外・警告（{problems.Count} 件、個人番号は伏せ字）:");
            output.WriteLine("区分  ファイル  行  項目  値  理由");
            foreach (var p in problems)
                output.WriteLine($"{(p.Severity == "error" ? "除外" : "警告")}  {p.FileName}  {p.LineNumber}  {p.Field}  {p.Value}  {p.Reason}");
        }
        return (int)ExitCode.Success;
    }

    public async Task<int> RecoverRunAsync(long runId, CancellationToken cancellationToken)
    {
        _store.CheckUsable(creating: false);
        var registry = new RunRegistry(_store, clock);
        var run = await EnsureExistsAsync(cancellationToken) ? await registry.GetAsync(runId, cancellationToken) : null;
        if (run is null || run.MunicipalityCode != settings.Municipality.Value)
            throw new OperatorException(ExitCode.UsageError, $"実行番号 {runId} の記録はありません。");
        if (run.Status != RunStatus.Started)
        {
            output.WriteLine($"実行番号 {runId} は {run.Status} です。変更はありません。");
            return (int)ExitCode.Success;
        }
        // Only the job's lock tells whether the process is really gone: if it can be taken, nobody runs the job.
        await using var jobLock = await _store.TryLockJobAsync(run.Job, settings.Municipality, cancellationToken);
        if (jobLock is null)
            throw new OperatorException(ExitCode.AlreadyRunning, $"実行番号 {runId}（{run.Job}）はまだ実行中です（ロックが保持されています）。失敗扱いにはできません。");
        await registry.RecoverAsync(runId, cancellationToken);
        output.WriteLine($"実行番号 {runId} を失敗（FAILED）として記録しました。同じジョブを再実行すると確定済みの箇所から再開します。");
        return (int)ExitCode.Success;
    }

    private async Task<bool> EnsureExistsAsync(CancellationToken cancellationToken)
    {
        if (!await _store.IsNewAsync(cancellationToken)) return true;
        output.WriteLine($"{_store.Target.Display} にはまだスキーマがありません（nenkin-admin db migrate で作成します）。");
        return false;
    }
}
