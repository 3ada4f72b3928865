using System.Data.Common;
using System.Text.Json;
using NLog;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats;
using NenkinBatch.Persistence;
using Polly;

namespace NenkinBatch.Runtime;

/// <summary>The counts a run reports, in the order they were first named.</summary>
public sealed class RunCounts
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, long> _values = new(StringComparer.Ordinal);

    public RunCounts(params string[] names)
    {
        foreach (var name in names) this[name] = 0;
    }

    public long this[string name]
    {
        get => _values.GetValueOrDefault(name);
        set
        {
            if (!_values.ContainsKey(name)) _order.Add(name);
            _values[name] = value;
        }
    }

    public void Add(RunCounts delta)
    {
        foreach (var name in delta._order) this[name] += delta[name];
    }

    public RunCounts Plus(RunCounts delta)
    {
        var sum = new RunCounts();
        sum.Add(this);
        sum.Add(delta);
        return sum;
    }

    public IEnumerable<KeyValuePair<string, long>> Entries => _order.Select(name => new KeyValuePair<string, long>(name, _values[name]));

    public string ToJson() => JsonSerializer.Serialize(Entries.ToDictionary(e => e.Key, e => e.Value));

    public static RunCounts FromJson(string? json)
    {
        var counts = new RunCounts();
        if (string.IsNullOrEmpty(json)) return counts;
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, long>>(json) ?? []) counts[name] = value;
        return counts;
    }

    public override string ToString() => string.Join(", ", Entries.Select(e => $"{e.Key}={e.Value}"));
}

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
    public MunicipalityCode Municipality => Settings.Municipality;
    public RunCounts Counts { get; set; } = new();

    /// <summary>
    /// Runs one chunk's writes, its problems and its checkpoint in one transaction, retried whole on
    /// a transient failure. The counts move only once the transaction has committed. In a dry run the
    /// transaction is always rolled back: the same code path, nothing kept.
    /// </summary>
    public Task CommitChunkAsync(Func<DbConnection, DbTransaction, Task<RunCounts>> work, string checkpoint, IReadOnlyCollection<RowProblem> problems) =>
        CommitChunkAsync(async (connection, transaction) => new ChunkResult(await work(connection, transaction), problems), checkpoint);

    /// <summary>A read outside any chunk, retried like a chunk on a transient failure.</summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await Resilience.ExecuteAsync(async ct =>
            {
                await using var connection = await Store.OpenAsync(ct);
                return await read(connection, ct);
            }, cancellationToken);
        }
        catch (Exception e) when (Store.IsTransient(e))
        {
            throw new DatabaseUnavailableException(e);
        }
    }

    /// <summary>Records problems on their own (a file rejected whole leaves nothing else to commit).</summary>
    public async Task RecordProblemsAsync(IReadOnlyCollection<RowProblem> problems)
    {
        try
        {
            await Resilience.ExecuteAsync(async ct =>
            {
                await using var connection = await Store.OpenAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await RunRegistry.AddProblemsAsync(connection, transaction, RunId, Municipality, problems, ct);
                await transaction.CommitAsync(ct);
            }, CancellationToken.None);
        }
        catch (Exception e) when (Store.IsTransient(e))
        {
            throw new DatabaseUnavailableException(e);
        }
    }

    /// <summary>As above, for work that finds its problems while it runs (a whole file read inside the transaction).</summary>
    public async Task<ChunkResult> CommitChunkAsync(Func<DbConnection, DbTransaction, Task<ChunkResult>> work, string checkpoint)
    {
        ChunkResult? result = null;
        // The chunk itself is not cancelled half-way: Ctrl+C and SIGTERM stop the run at the next chunk boundary.
        var token = CancellationToken.None;
        try
        {
            await Resilience.ExecuteAsync(async ct =>
            {
                await using var connection = await Store.OpenAsync(ct);
                await using var transaction = await connection.BeginTransactionAsync(ct);
                var chunk = await work(connection, transaction);
                if (!await Lock.IsHeldAsync(connection, transaction, ct))
                    throw new OperatorException(ExitCode.RefusedBySafetyRule,
                        "実行中にジョブのロックが失われました（ロック用のデータベース接続が切れました）。この区切りは保存していません。同じコマンドを再実行すると確定済みの箇所から再開します。");
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
        }
        catch (Exception e) when (Store.IsTransient(e))
        {
            throw new DatabaseUnavailableException(e);
        }
        Counts.Add(result!.Counts);
        return result;
    }
}

/// <summary>Checkpoints of line-oriented jobs: "line:N", the last data line committed.</summary>
public static class LineCheckpoint
{
    public static string Of(long line) => "line:" + line.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The line a checkpoint names, 0 for none (and for a checkpoint of another form, such as an import's "file:…").</summary>
    public static long LineOf(string? checkpoint) =>
        checkpoint is not null && checkpoint.StartsWith("line:", StringComparison.Ordinal)
        && long.TryParse(checkpoint.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var line)
            ? line
            : 0;
}

/// <summary>What one committed chunk did: its counts and the problems it found.</summary>
public sealed record ChunkResult(RunCounts Counts, IReadOnlyCollection<RowProblem> Problems);

/// <summary>How a job ended, as far as the job itself can tell.</summary>
public sealed record JobOutcome(bool HadRowErrors, string? Message = null, bool InputRejected = false);

/// <summary>A batch job: a name, identifying parameters, and the work.</summary>
public abstract class Job
{
    public abstract string Name { get; }

    /// <summary>
    /// Looks at the inputs before the run is registered: returns the identifying parameters (what a rerun must match
    /// to resume) and a display form. Throws <see cref="InputRejectedException"/> when an input cannot be taken at all.
    /// </summary>
    public abstract Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a rerun continues a failed run from its checkpoint (chunked jobs), or starts afresh
    /// because the job knows by itself what is already done (import skips files already in).
    /// </summary>
    public virtual bool ResumesFromCheckpoint => true;

    /// <summary>The names of the counts this job reports, in order.</summary>
    public abstract string[] CountNames { get; }

    public abstract Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken);
}
