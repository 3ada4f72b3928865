using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using NenkinBatch.Domain;

namespace NenkinBatch.Persistence.Reconcile;

/// <summary>The state of an <c>--apply</c> run's plan.</summary>
public static class PlanState
{
    /// <summary>The report and the changes are being decided; nothing has been changed. A plan left so is discarded.</summary>
    public const string Planning = "PLANNING";
    /// <summary>Decided and kept whole; the changes are applied chunk by chunk from <see cref="ReconcilePlan.AppliedChunks"/>.</summary>
    public const string Ready = "READY";
    public const string Done = "DONE";
}

/// <summary>An <c>--apply</c> run's plan: what it covers, how far it has been applied, and where its report waits.</summary>
public sealed record ReconcilePlan(
    long RunId, string ScopeKey, string Scope, IReadOnlyList<long> FileIds, string State, int ChunkCount, int AppliedChunks,
    string? Counts, string? ReportCsv, string? ReportXlsx);

/// <summary>
/// Keeps <c>--apply</c>'s decisions between deciding and applying (docs/architecture.md, "Reconcile --apply"): the
/// safe changes in chunks, the report's counts and paths, and how many chunks are applied — moved on in the same
/// transaction as the chunk's changes, so a rerun knows exactly where to go on.
/// </summary>
public static class ReconcilePlans
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The plan of this municipality not yet done, if any (there is at most one: reconcile runs under its lock).</summary>
    public static async Task<ReconcilePlan?> OpenAsync(DbConnection connection, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        await using var command = ReconcileStore.Command(connection, null, """
            SELECT run_id, scope_key, scope, file_ids, state, chunk_count, applied_chunks, counts, report_csv, report_xlsx
            FROM reconcile_plan WHERE municipality_code = @m AND state <> 'DONE' ORDER BY run_id DESC
            """, ("m", municipality.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new ReconcilePlan(
            Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2),
            reader.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => long.Parse(id, CultureInfo.InvariantCulture)).ToList(),
            reader.GetString(4), Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture), Convert.ToInt32(reader.GetValue(6), CultureInfo.InvariantCulture),
            DbValues.Text(reader, 7), DbValues.Text(reader, 8), DbValues.Text(reader, 9));
    }

    public static Task BeginAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, string scopeKey, string scope,
        IEnumerable<long> fileIds, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO reconcile_plan (run_id, municipality_code, scope_key, scope, file_ids, state) VALUES (@run, @m, @key, @scope, @files, 'PLANNING')
            ON CONFLICT (run_id) DO NOTHING
            """, new { run = runId, m = municipality.Value, key = scopeKey, scope, files = string.Join(",", fileIds.Select(f => f.ToString(CultureInfo.InvariantCulture))) },
            transaction, cancellationToken: cancellationToken));

    public static Task AddChunkAsync(DbConnection connection, DbTransaction transaction, long runId, int chunkNo, IReadOnlyList<SafeChange> changes,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO reconcile_plan_chunk (run_id, chunk_no, changes) VALUES (@run, @chunk, @changes) ON CONFLICT (run_id, chunk_no) DO NOTHING",
            new { run = runId, chunk = chunkNo, changes = JsonSerializer.Serialize(changes, Json) }, transaction, cancellationToken: cancellationToken));

    /// <summary>Everything decided and kept: from here on a rerun continues this plan instead of deciding again.</summary>
    public static Task ReadyAsync(DbConnection connection, DbTransaction transaction, ReconcilePlan plan, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("""
            UPDATE reconcile_plan SET state = 'READY', chunk_count = @chunks, counts = @counts, report_csv = @csv, report_xlsx = @xlsx
            WHERE run_id = @run AND state = 'PLANNING'
            """, new { run = plan.RunId, chunks = plan.ChunkCount, counts = plan.Counts, csv = plan.ReportCsv, xlsx = plan.ReportXlsx }, transaction, cancellationToken: cancellationToken));

    public static async Task<List<SafeChange>> ReadChunkAsync(DbConnection connection, DbTransaction transaction, long runId, int chunkNo, CancellationToken cancellationToken)
    {
        var json = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT changes FROM reconcile_plan_chunk WHERE run_id = @run AND chunk_no = @chunk", new { run = runId, chunk = chunkNo }, transaction, cancellationToken: cancellationToken));
        return JsonSerializer.Deserialize<List<SafeChange>>(json ?? throw new InvalidDataException($"reconcile plan {runId}: chunk {chunkNo} is missing"), Json)!;
    }

    /// <summary>Moves the plan past a chunk, in the chunk's own transaction; false when another run already did (the chunk must then not be applied).</summary>
    public static async Task<bool> ChunkAppliedAsync(DbConnection connection, DbTransaction transaction, long runId, int chunkNo, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE reconcile_plan SET applied_chunks = @next WHERE run_id = @run AND applied_chunks = @chunk AND state = 'READY'",
            new { run = runId, chunk = chunkNo, next = chunkNo + 1 }, transaction, cancellationToken: cancellationToken)) == 1;

    /// <summary>How many chunks of the plan are applied (a retried chunk whose commit did reach the database finds itself among them).</summary>
    public static async Task<int> AppliedChunksAsync(DbConnection connection, DbTransaction transaction, long runId, CancellationToken cancellationToken) =>
        Convert.ToInt32(await connection.ExecuteScalarAsync(new CommandDefinition(
            "SELECT applied_chunks FROM reconcile_plan WHERE run_id = @run", new { run = runId }, transaction, cancellationToken: cancellationToken)), CultureInfo.InvariantCulture);

    /// <summary>How many changes the plan has applied, whichever runs applied them (its audit rows carry the planning run's number).</summary>
    public static async Task<long> AppliedChangesAsync(DbConnection connection, MunicipalityCode municipality, long runId, CancellationToken cancellationToken) =>
        Convert.ToInt64(await connection.ExecuteScalarAsync(new CommandDefinition(
            "SELECT count(*) FROM audit_log WHERE municipality_code = @m AND run_id = @run AND job = 'reconcile'",
            new { m = municipality.Value, run = runId }, cancellationToken: cancellationToken)), CultureInfo.InvariantCulture);

    /// <summary>The plan is done: its chunks are no longer needed, and the run that finished it is recorded.</summary>
    public static async Task FinishAsync(DbConnection connection, DbTransaction transaction, long runId, long finishedByRunId, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM reconcile_plan_chunk WHERE run_id = @run", new { run = runId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE reconcile_plan SET state = 'DONE', completed_by_run_id = @by WHERE run_id = @run",
            new { run = runId, by = finishedByRunId }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>A plan left while still deciding: nothing of it was applied, so it is simply forgotten.</summary>
    public static async Task DiscardAsync(DbConnection connection, DbTransaction transaction, long runId, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM reconcile_plan_chunk WHERE run_id = @run", new { run = runId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM reconcile_plan WHERE run_id = @run AND state = 'PLANNING'", new { run = runId }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>The run whose changes a run stands for: the planning run, when the given one only finished another's plan.</summary>
    public static async Task<long> PlanningRunOfAsync(DbConnection connection, long runId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT run_id FROM reconcile_plan WHERE completed_by_run_id = @run AND run_id <> @run", new { run = runId }, cancellationToken: cancellationToken)) ?? runId;
}
