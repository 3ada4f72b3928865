using System.Data.Common;
using Dapper;
using NenkinBatch.Foundation;
using NenkinBatch.Domain;
using NenkinBatch.Formats;

namespace NenkinBatch.Persistence;

public static class RunStatus
{
    public const string Started = "STARTED";
    public const string Completed = "COMPLETED";
    public const string CompletedWithErrors = "COMPLETED_WITH_ERRORS";
    public const string Failed = "FAILED";
    public const string Abandoned = "ABANDONED";
}

/// <summary>One row of the run registry.</summary>
public sealed class RunRecord
{
    public long RunId { get; set; }
    public string MunicipalityCode { get; set; } = "";
    public string Job { get; set; } = "";
    public string Parameters { get; set; } = "";
    public string ParametersKey { get; set; } = "";
    public string Status { get; set; } = "";
    public object? StartedAtRaw { get; set; }
    public object? EndedAtRaw { get; set; }
    public string Host { get; set; } = "";
    public string OsUser { get; set; } = "";
    public int ProcessId { get; set; }
    public int? ExitCode { get; set; }
    public string? Error { get; set; }
    public string? Counts { get; set; }
    public string? Checkpoint { get; set; }
    public long? ResumedFromRunId { get; set; }

    public DateTimeOffset StartedAt => DbValues.Instant(StartedAtRaw)!.Value;
    public DateTimeOffset? EndedAt => DbValues.Instant(EndedAtRaw);
}

/// <summary>A stored problem of a run (rejected row or warning), value already masked.</summary>
public sealed class StoredProblem
{
    public string Severity { get; set; } = "";
    public string? FileName { get; set; }
    public long? LineNumber { get; set; }
    public string? Field { get; set; }
    public string? Value { get; set; }
    public string Reason { get; set; } = "";
}

/// <summary>
/// The run registry (Spring Batch's JobRepository, reduced): who ran what, when, how it ended,
/// and the last committed checkpoint a rerun resumes from.
/// </summary>
public sealed class RunRegistry(Store store, TimeProvider clock)
{
    private const string RunColumns = """
        run_id AS RunId, municipality_code AS MunicipalityCode, job AS Job, parameters AS Parameters,
        parameters_key AS ParametersKey, status AS Status, started_at AS StartedAtRaw, ended_at AS EndedAtRaw,
        host AS Host, os_user AS OsUser, process_id AS ProcessId, exit_code AS ExitCode, error AS Error,
        counts AS Counts, checkpoint AS Checkpoint, resumed_from_run_id AS ResumedFromRunId
        """;

    public async Task<long> StartAsync(MunicipalityCode municipality, string job, string parameters, string parametersKey, long? resumedFrom, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO batch_run (municipality_code, job, parameters, parameters_key, status, started_at, host, os_user, process_id, resumed_from_run_id)
            VALUES (@Municipality, @Job, @Parameters, @ParametersKey, 'STARTED', @Now, @Host, @User, @Pid, @ResumedFrom)
            RETURNING run_id
            """,
            new
            {
                Municipality = municipality.Value, Job = job, Parameters = parameters, ParametersKey = parametersKey, Now = clock.GetUtcNow(),
                Host = Environment.MachineName, User = Environment.UserName, Pid = Environment.ProcessId, ResumedFrom = resumedFrom,
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Marks as FAILED every run of this job still STARTED. Called only by the holder of the job's
    /// lock, so none of them can still be running: their process was killed.
    /// </summary>
    public async Task<IReadOnlyList<long>> FailAbandonedAsync(MunicipalityCode municipality, string job, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT run_id FROM batch_run WHERE municipality_code = @M AND job = @Job AND status = 'STARTED' ORDER BY run_id",
            new { M = municipality.Value, Job = job }, cancellationToken: cancellationToken))).ToList();
        foreach (var id in ids)
            await MarkFailedAsync(connection, id, "プロセスが途中で終了していました（次の実行が検出）", cancellationToken);
        return ids;
    }

    public async Task<bool> RecoverAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await MarkFailedAsync(connection, runId, "運用者が runs recover で失敗扱いにしました", cancellationToken);
    }

    private async Task<bool> MarkFailedAsync(DbConnection connection, long runId, string reason, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE batch_run SET status = 'FAILED', ended_at = @Now, error = @Reason WHERE run_id = @Id AND status = 'STARTED'",
            new { Id = runId, Now = clock.GetUtcNow(), Reason = reason }, cancellationToken: cancellationToken)) == 1;

    /// <summary>The latest run of this job with these identifying parameters, when it failed with a checkpoint to resume from.</summary>
    public async Task<RunRecord?> ResumableAsync(MunicipalityCode municipality, string job, string parametersKey, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var latest = await connection.QueryFirstOrDefaultAsync<RunRecord>(new CommandDefinition(
            $"SELECT {RunColumns} FROM batch_run WHERE municipality_code = @M AND job = @Job AND parameters_key = @Key ORDER BY run_id DESC LIMIT 1",
            new { M = municipality.Value, Job = job, Key = parametersKey }, cancellationToken: cancellationToken));
        return latest is { Status: RunStatus.Failed, Checkpoint: not null } ? latest : null;
    }

    /// <summary>Records the checkpoint inside the chunk's own transaction: the chunk and its checkpoint commit together or not at all.</summary>
    public static Task CheckpointAsync(DbConnection connection, DbTransaction transaction, long runId, string checkpoint, string counts, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE batch_run SET checkpoint = @Checkpoint, counts = @Counts WHERE run_id = @Id",
            new { Id = runId, Checkpoint = checkpoint, Counts = counts }, transaction, cancellationToken: cancellationToken));

    public async Task FinishAsync(long runId, string status, int exitCode, string? error, string counts, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE batch_run SET status = @Status, exit_code = @ExitCode, error = @Error, counts = @Counts, ended_at = @Now WHERE run_id = @Id",
            new { Id = runId, Status = status, ExitCode = exitCode, Error = error, Counts = counts, Now = clock.GetUtcNow() },
            cancellationToken: cancellationToken));
    }

    public async Task<RunRecord?> RunningAsync(MunicipalityCode municipality, string job, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<RunRecord>(new CommandDefinition(
            $"SELECT {RunColumns} FROM batch_run WHERE municipality_code = @M AND job = @Job AND status = 'STARTED' ORDER BY run_id DESC LIMIT 1",
            new { M = municipality.Value, Job = job }, cancellationToken: cancellationToken));
    }

    public async Task<RunRecord?> GetAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return await connection.QueryFirstOrDefaultAsync<RunRecord>(new CommandDefinition(
            $"SELECT {RunColumns} FROM batch_run WHERE run_id = @Id", new { Id = runId }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<RunRecord>> RecentAsync(MunicipalityCode municipality, int limit, bool failedOnly, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        var filter = failedOnly ? "AND status IN ('FAILED', 'ABANDONED')" : "";
        return (await connection.QueryAsync<RunRecord>(new CommandDefinition(
            $"SELECT {RunColumns} FROM batch_run WHERE municipality_code = @M {filter} ORDER BY run_id DESC LIMIT @Limit",
            new { M = municipality.Value, Limit = limit }, cancellationToken: cancellationToken))).ToList();
    }

    public static async Task AddProblemsAsync(DbConnection connection, DbTransaction transaction, long runId, MunicipalityCode municipality, IEnumerable<RowProblem> problems, CancellationToken cancellationToken)
    {
        var rows = problems.Select(p => new
        {
            Run = runId, M = municipality.Value, Severity = p.Severity == ProblemSeverity.Error ? "error" : "warning",
            p.File, p.Line, p.Field, p.Value, p.Reason,
        }).ToList();
        if (rows.Count == 0) return;
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO run_problem (run_id, municipality_code, severity, file_name, line_number, field, value, reason)
            VALUES (@Run, @M, @Severity, @File, @Line, @Field, @Value, @Reason)
            """, rows, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>On resume, the problems the failed run found before its checkpoint become the new run's too, so one run lists them all.</summary>
    public async Task CopyProblemsAsync(long fromRunId, long toRunId, long throughLine, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO run_problem (run_id, municipality_code, severity, file_name, line_number, field, value, reason)
            SELECT @To, municipality_code, severity, file_name, line_number, field, value, reason
            FROM run_problem WHERE run_id = @From AND (line_number IS NULL OR line_number <= @Through)
            ORDER BY problem_id
            """, new { From = fromRunId, To = toRunId, Through = throughLine }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<StoredProblem>> ProblemsAsync(long runId, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<StoredProblem>(new CommandDefinition("""
            SELECT severity AS Severity, file_name AS FileName, line_number AS LineNumber, field AS Field, value AS Value, reason AS Reason
            FROM run_problem WHERE run_id = @Id ORDER BY line_number, problem_id
            """, new { Id = runId }, cancellationToken: cancellationToken))).ToList();
    }
}
