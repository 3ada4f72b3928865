using System.Data.Common;
using System.Text.Json;
using NLog;
using NenkinBatch.Foundation;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats;
using NenkinBatch.Persistence;
using Polly;

namespace NenkinBatch.Runtime;

/// <summary>Everything a running job may use: settings, store, clock, log, its run and the chunk-commit rule.</summary>
public sealed class JobContext
{
    public required Settings Settings { get; init; }
    public required Store Store { get; init; }
    public required TimeProvider Clock { get; init; }
    public required Logger Log { get; init; }
    public required string JobName { get; init; }
    public required long RunId { get; init; }
    public required ResiliencePipeline Resilience { get; init; }
    public required IJobLock Lock { get; init; }
    public required CodeTables Codes { get; init; }
    public required ProgressReporter Progress { get; init; }
    public required TextWriter Out { get; init; }
    public bool DryRun { get; init; }

    /// <summary>The checkpoint of the failed run this one resumes, if any.</summary>
    public string? ResumeCheckpoint { get; init; }

    /// <summary>The failed run this one continues, if any.</summary>
    public long? ResumedFromRunId { get; init; }
    public MunicipalityCode Municipality => Settings.Municipality;
    public RunCounts Counts { get; set; } = new();

    /// <summary>
    /// Runs one chunk's writes, its problems and its checkpoint in one transaction, retried whole on
    /// a transient failure. The counts move only once the transaction has committed. In a dry run the
    /// transaction is always rolled back: the same code path, nothing kept.
    /// </summary>
    public Task CommitChunkAsync(Func<DbConnection, DbTransaction, CancellationToken, Task<RunCounts>> work, string checkpoint, IReadOnlyCollection<RowProblem> problems) =>
        CommitChunkAsync(async (connection, transaction, ct) => new ChunkResult(await work(connection, transaction, ct), problems), checkpoint);

    /// <summary>A read outside any chunk, retried like a chunk on a transient failure.</summary>
    public Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        DatabaseWork.RunAsync(Resilience, async ct =>
        {
            await using var connection = await Store.OpenAsync(ct);
            return await read(connection, ct);
        }, cancellationToken);

    /// <summary>
    /// The 個人番号 key of this store, checked against the check value the store recorded before anything is sealed or
    /// digested with it: a key file that is not the one the stored numbers were sealed with stops the job (exit 30).
    /// The key file is created on first use only while no number is stored.
    /// </summary>
    public async Task<IndividualNumberProtector> OpenIndividualNumberProtectorAsync(CancellationToken cancellationToken)
    {
        var keyFile = IndividualNumberKeys.KeyFileOf(Store, Settings.KeyFile);
        var key = await DatabaseWork.RunAsync(Resilience, async ct =>
        {
            await using var connection = await Store.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var opened = await IndividualNumberKeys.OpenCheckedAsync(connection, transaction, keyFile, Municipality, RunId, Clock.GetUtcNow(), ct);
            // A dry run keeps nothing, a first check value included; a recorded one is compared all the same.
            if (DryRun) await transaction.RollbackAsync(ct);
            else await transaction.CommitAsync(ct);
            return opened;
        }, cancellationToken);
        if (DryRun) return key.Protector;
        switch (key.Outcome)
        {
            case KeyCheckOutcome.RecordedFirst:
                Log.Info("番号の暗号鍵ファイル {0} をこのデータベースの鍵として記録しました。以後、別の鍵ファイルではジョブが停止します。鍵ファイルはデータベースと一緒にバックアップしてください。", keyFile);
                break;
            case KeyCheckOutcome.RecordedOverStoredNumbers:
                Log.Warn("番号の暗号鍵ファイル {0} を、保存済みの暗号化された番号 {1:N0} 件の鍵として記録しました（鍵の照合値がまだないデータベースでした）。以後、別の鍵ファイルではジョブが停止します。", keyFile, key.NumbersStored);
                break;
            case KeyCheckOutcome.Replaced:
                Log.Warn("番号の暗号鍵ファイル {0} は以前に記録した鍵と違いますが、保存済みの暗号化された番号がないため、この鍵をデータベースの鍵として記録し直しました。", keyFile);
                break;
        }
        return key.Protector;
    }

    /// <summary>
    /// Work committed in a transaction of its own beside the run's chunks: it moves no checkpoint and no count, so it may run
    /// on another task while the job commits its chunks. Retried as a chunk is, refused as a chunk is when the job's lock is
    /// lost, rolled back in a dry run.
    /// </summary>
    public Task CommitBesideAsync(Func<DbConnection, DbTransaction, CancellationToken, Task> work) =>
        DatabaseWork.RunAsync(Resilience, async ct =>
        {
            await using var connection = await Store.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await work(connection, transaction, ct);
            await CheckLockAsync(connection, transaction, ct);
            if (DryRun) await transaction.RollbackAsync(ct);
            else await transaction.CommitAsync(ct);
        }, CancellationToken.None);

    private async Task CheckLockAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (!await Lock.IsHeldAsync(connection, transaction, cancellationToken))
            throw new OperatorException(ExitCode.RefusedBySafetyRule,
                "実行中にジョブのロックが失われました（ロック用のデータベース接続が切れました）。この区切りは保存していません。同じコマンドを再実行すると確定済みの箇所から再開します。");
    }

    /// <summary>Records problems on their own (a file rejected whole leaves nothing else to commit).</summary>
    public Task RecordProblemsAsync(IReadOnlyCollection<RowProblem> problems) =>
        DatabaseWork.RunAsync(Resilience, async ct =>
        {
            await using var connection = await Store.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await RunRegistry.AddProblemsAsync(connection, transaction, RunId, Municipality, problems, ct);
            await transaction.CommitAsync(ct);
        }, CancellationToken.None);

    /// <summary>As above, for work that finds its problems while it runs (a whole file read inside the transaction).</summary>
    public async Task<ChunkResult> CommitChunkAsync(Func<DbConnection, DbTransaction, CancellationToken, Task<ChunkResult>> work, string checkpoint)
    {
        ChunkResult? result = null;
        // The chunk itself is not cancelled half-way: Ctrl+C and SIGTERM stop the run at the next chunk boundary.
        var token = CancellationToken.None;
        await DatabaseWork.RunAsync(Resilience, async ct =>
            {
                await using var connection = await Store.OpenAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                var chunk = await work(connection, transaction, ct);
                await CheckLockAsync(connection, transaction, ct);
                await RunRegistry.AddProblemsAsync(connection, transaction, RunId, Municipality, chunk.Problems, ct);
                if (DryRun)
                {
                    await transaction.RollbackAsync(ct);
                }
                else
                {
                    await RunRegistry.CheckpointAsync(connection, transaction, RunId, checkpoint, Counts.Plus(chunk.Counts).ToJson(), ct);
                    await transaction.CommitAsync(ct);
                }
                result = chunk;
            }, token);
        Counts.Add(result!.Counts);
        return result;
    }
}

/// <summary>What one committed chunk did: its counts and the problems it found.</summary>
public sealed record ChunkResult(RunCounts Counts, IReadOnlyCollection<RowProblem> Problems);
