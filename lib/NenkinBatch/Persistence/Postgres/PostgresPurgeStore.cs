using System.Data.Common;
using Npgsql;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Retention;
using NenkinBatch.Persistence.Purge;

namespace NenkinBatch.Persistence.Postgres;

/// <summary>
/// PostgreSQL: the purge's bulk writes as arrays, one statement each (<c>unnest</c>), instead of a statement per row; the audit
/// log's gate as a transaction-local setting; VACUUM of the touched tables after an execute.
/// </summary>
public sealed class PostgresPurgeStore : PurgeStore
{
    // A statement's arrays stay well below what a message may carry.
    private const int Batch = 50_000;

    public override async Task AddItemsAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long planId, long firstSeq,
        IReadOnlyList<PlannedItem> items, CancellationToken cancellationToken)
    {
        for (var start = 0; start < items.Count; start += Batch)
        {
            var part = items.Skip(start).Take(Batch).ToList();
            await ExecuteAsync(connection, transaction, """
                INSERT INTO purge_plan_item (plan_id, seq, municipality_code, kind, record_key, event_date)
                SELECT @plan, @first + t.n - 1, @m, t.kind, t.key, t.event FROM unnest(@kinds, @keys, @events) WITH ORDINALITY AS t(kind, key, event, n)
                """, cancellationToken, ("plan", planId), ("first", firstSeq + start), ("m", municipality.Value),
                ("kinds", part.Select(i => RecordKinds.Name(i.Kind)).ToArray()), ("keys", part.Select(i => i.Key).ToArray()), ("events", part.Select(i => i.EventDate).ToArray()));
        }
    }

    public override Task AnalyzeAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"ANALYZE {table}", cancellationToken);

    protected override string StripAuditRowsSql => """
        UPDATE audit_log SET table_name = 'erased', record_key = @m || '/erased/' || CAST(@plan AS text) || '/' || CAST(p.seq AS text),
               before_data = NULL, after_data = NULL
        FROM purge_audit p
        WHERE audit_log.audit_id = p.audit_id
        """;

    public override async Task OpenGateAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, transaction, "SET LOCAL nenkinbatch.purge = 'on'", cancellationToken);

    public override Task CloseGateAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "SET LOCAL nenkinbatch.purge = 'off'", cancellationToken);

    public override async Task LoadKeysAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(string Key, long Seq)> keys, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, "CREATE TEMP TABLE IF NOT EXISTS purge_keys (k text PRIMARY KEY, seq bigint NOT NULL) ON COMMIT DELETE ROWS", cancellationToken);
        await ExecuteAsync(connection, transaction, "CREATE TEMP TABLE IF NOT EXISTS purge_audit (audit_id bigint PRIMARY KEY, seq bigint NOT NULL) ON COMMIT DELETE ROWS", cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM purge_keys", cancellationToken);
        await ExecuteAsync(connection, transaction, "INSERT INTO purge_keys (k, seq) SELECT * FROM unnest(@keys, @seqs)", cancellationToken,
            ("keys", keys.Select(k => k.Key).ToArray()), ("seqs", keys.Select(k => k.Seq).ToArray()));
        // The planner has no statistics of a new temporary table; with them it probes the indexes once per key instead of scanning.
        await ExecuteAsync(connection, transaction, "ANALYZE purge_keys", cancellationToken);
    }

    public override Task AppendLogAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long planId, long runId, DateTimeOffset now,
        IReadOnlyList<ErasureEntry> entries, CancellationToken cancellationToken) =>
        entries.Count == 0 ? Task.CompletedTask : ExecuteAsync(connection, transaction, """
            INSERT INTO purge_log (municipality_code, plan_id, item_seq, run_id, kind, key_digest, rule, event_date, period_years, deleted_at)
            SELECT @m, @plan, t.seq, @run, t.kind, t.digest, t.rule, t.event, t.period, @now
            FROM unnest(@seqs, @kinds, @digests, @rules, @events, @periods) AS t(seq, kind, digest, rule, event, period)
            """, cancellationToken, ("m", municipality.Value), ("plan", planId), ("run", runId), ("now", now),
            ("seqs", entries.Select(e => e.Seq).ToArray()), ("kinds", entries.Select(e => RecordKinds.Name(e.Kind)).ToArray()),
            ("digests", entries.Select(e => e.KeyDigest).ToArray()), ("rules", entries.Select(e => e.Rule).ToArray()),
            ("events", entries.Select(e => e.EventDate).ToArray()), ("periods", entries.Select(e => e.PeriodYears).ToArray()));

    public override Task SetOutcomesAsync(DbConnection connection, DbTransaction transaction, long planId, long runId, IReadOnlyList<ItemOutcome> outcomes,
        CancellationToken cancellationToken) =>
        outcomes.Count == 0 ? Task.CompletedTask : ExecuteAsync(connection, transaction, """
            UPDATE purge_plan_item i SET outcome = t.outcome, reason = t.reason, done_run_id = @run, record_key = CASE WHEN t.clear THEN NULL ELSE i.record_key END
            FROM unnest(@seqs, @outcomes, @reasons, @clears) AS t(seq, outcome, reason, clear)
            WHERE i.plan_id = @plan AND i.seq = t.seq
            """, cancellationToken, ("run", runId), ("plan", planId), ("seqs", outcomes.Select(o => o.Seq).ToArray()),
            ("outcomes", outcomes.Select(o => o.Deleted ? "DELETED" : "SKIPPED").ToArray()), ("reasons", outcomes.Select(o => o.Reason).ToArray()),
            ("clears", outcomes.Select(o => o.ClearKey).ToArray()));

    public override async Task FinishErasureAsync(Store store, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        foreach (var table in TouchedTables)
        {
            await using var command = new NpgsqlCommand($"VACUUM (ANALYZE) {table}", (NpgsqlConnection)connection);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
