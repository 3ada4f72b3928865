using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Retention;
using NenkinBatch.Persistence.Postgres;

namespace NenkinBatch.Persistence.Purge;

/// <summary>
/// The purge's SQL (docs/architecture.md, "Purge"): what retention reads, plans and their items, holds, the erasure of each kind
/// and the purge log. The statements are the same on both stores; the keys of a chunk go into a temporary table
/// (<c>purge_keys</c>) every statement joins, filled row by row on SQLite and by one <c>unnest</c> on PostgreSQL
/// (<see cref="PostgresPurgeStore"/>), which also takes the bulk writes (items, log rows, outcomes) as arrays.
/// </summary>
public class PurgeStore
{
    public const string JobName = "purge";

    public static PurgeStore For(Store store) => store.Kind == StoreKind.Postgres ? new PostgresPurgeStore() : new PurgeStore();

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string, object?)[] parameters) =>
        DbCommands.Create(connection, transaction, sql, parameters);

    protected static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string, object?)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static long Long(object? value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    // ---- What retention reads -------------------------------------------------------------------------------------------

    /// <summary>
    /// The retention facts of everyone who is not a 住民 (a 住民 is never erased), streamed; or, given keys already loaded into
    /// <c>purge_keys</c>, of those people only (the re-check at deletion). Held people are marked from <paramref name="heldPeople"/>.
    /// </summary>
    public async IAsyncEnumerable<PersonOnRecord> PeopleAsync(DbConnection connection, DbTransaction? transaction, MunicipalityCode municipality,
        IReadOnlySet<string> heldPeople, bool onlyLoadedKeys, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Correlated lookups on the primary keys of qualification and person_individual_number: one index probe each per person.
        await using var command = Command(connection, transaction, $"""
            SELECT p.atena_number, p.resident_status, p.removed_on,
                   (SELECT max(q.lost_on) FROM qualification q WHERE q.municipality_code = p.municipality_code AND q.atena_number = p.atena_number),
                   EXISTS (SELECT 1 FROM qualification q WHERE q.municipality_code = p.municipality_code AND q.atena_number = p.atena_number AND q.lost_on IS NULL),
                   EXISTS (SELECT 1 FROM person_individual_number n WHERE n.municipality_code = p.municipality_code AND n.atena_number = p.atena_number),
                   p.name, p.name_kana, p.address, p.address_suffix, p.disclosure_block
            FROM person p
            WHERE p.municipality_code = @m {(onlyLoadedKeys ? "AND p.atena_number IN (SELECT k FROM purge_keys)" : "AND p.resident_status <> 1")}
            """, ("m", municipality.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var atena = reader.GetString(0);
            var facts = new PersonRetentionFacts(atena, Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), DbValues.Date(reader, 2),
                DbValues.Date(reader, 3), Convert.ToBoolean(reader.GetValue(4), CultureInfo.InvariantCulture),
                Convert.ToBoolean(reader.GetValue(5), CultureInfo.InvariantCulture), heldPeople.Contains(atena));
            yield return new PersonOnRecord(facts, reader.GetString(6), reader.GetString(7), reader.GetString(8), DbValues.Text(reader, 9),
                Convert.ToBoolean(reader.GetValue(10), CultureInfo.InvariantCulture));
        }
    }

    public async Task<long> PersonsOnFileAsync(DbConnection connection, DbTransaction? transaction, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT count(*) FROM person WHERE municipality_code = @m", ("m", municipality.Value));
        return Long(await command.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>Every imported list with its import instant (a city imports a few a month: all of them are read).</summary>
    public async Task<List<(long FileId, DateTimeOffset ImportedAt)>> JpsFilesAsync(DbConnection connection, DbTransaction? transaction, MunicipalityCode municipality,
        bool onlyLoadedKeys, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"""
            SELECT file_id, imported_at FROM jps_result_file WHERE municipality_code = @m
            {(onlyLoadedKeys ? "AND file_id IN (SELECT CAST(k AS bigint) FROM purge_keys)" : "")}
            """, ("m", municipality.Value));
        var files = new List<(long, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) files.Add((Long(reader.GetValue(0)), DbValues.Instant(reader.GetValue(1))!.Value));
        return files;
    }

    /// <summary>
    /// Runs that ended before <paramref name="endedBefore"/> and that nothing kept names any more: a list imported or replaced by the
    /// run, a person's follow-up it raised or closed, a filing it recorded, an audit row it wrote, a run that resumed it, the key check
    /// it recorded. Such a run stays while the record naming it stays (a later plan takes it). The purge's own runs stay for the purge log.
    /// </summary>
    public async Task<List<(long RunId, DateTimeOffset EndedAt)>> UnreferencedRunsAsync(DbConnection connection, DbTransaction? transaction,
        MunicipalityCode municipality, DateTimeOffset endedBefore, bool onlyLoadedKeys, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"""
            SELECT r.run_id, r.ended_at FROM batch_run r
            WHERE r.municipality_code = @m AND r.status <> 'STARTED' AND r.ended_at IS NOT NULL AND r.ended_at < @before AND r.job <> '{JobName}'
              {(onlyLoadedKeys ? "AND r.run_id IN (SELECT CAST(k AS bigint) FROM purge_keys)" : "")}
              AND NOT EXISTS (SELECT 1 FROM jps_result_file x WHERE x.imported_run_id = r.run_id OR x.replaced_by_run_id = r.run_id)
              AND NOT EXISTS (SELECT 1 FROM jps_result_reconciled x WHERE x.reported_run_id = r.run_id OR x.applied_run_id = r.run_id)
              AND NOT EXISTS (SELECT 1 FROM jps_filing_processed x WHERE x.recorded_run_id = r.run_id)
              AND NOT EXISTS (SELECT 1 FROM follow_up x WHERE x.atena_number IS NOT NULL AND (x.raised_run_id = r.run_id OR x.closed_run_id = r.run_id))
              AND NOT EXISTS (SELECT 1 FROM individual_number_key_check x WHERE x.recorded_run_id = r.run_id)
              AND NOT EXISTS (SELECT 1 FROM batch_run x WHERE x.resumed_from_run_id = r.run_id)
              AND NOT EXISTS (SELECT 1 FROM audit_log x WHERE x.run_id = r.run_id)
              AND NOT EXISTS (SELECT 1 FROM purge_plan x WHERE x.planned_run_id = r.run_id OR x.executed_run_id = r.run_id)
            ORDER BY r.run_id
            """, ("m", municipality.Value), ("before", endedBefore));
        var runs = new List<(long, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) runs.Add((Long(reader.GetValue(0)), DbValues.Instant(reader.GetValue(1))!.Value));
        return runs;
    }

    /// <summary>Audit rows recorded before <paramref name="recordedBefore"/> (id, instant, key), streamed in id order.</summary>
    public async IAsyncEnumerable<(long AuditId, DateTimeOffset RecordedAt, string Key)> AuditRowsAsync(DbConnection connection, DbTransaction? transaction,
        MunicipalityCode municipality, DateTimeOffset recordedBefore, bool onlyLoadedKeys, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"""
            SELECT audit_id, recorded_at, record_key FROM audit_log WHERE municipality_code = @m AND recorded_at < @before
            {(onlyLoadedKeys ? "AND audit_id IN (SELECT CAST(k AS bigint) FROM purge_keys)" : "")}
            ORDER BY audit_id
            """, ("m", municipality.Value), ("before", recordedBefore));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return (Long(reader.GetValue(0)), DbValues.Instant(reader.GetValue(1))!.Value, reader.GetString(2));
    }

    // ---- Holds ----------------------------------------------------------------------------------------------------------

    public async Task<List<PurgeHold>> HoldsAsync(DbConnection connection, DbTransaction? transaction, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            SELECT hold_id, kind, record_key, reason, until, added_run_id, added_at, removed_at, removed_reason FROM purge_hold
            WHERE municipality_code = @m ORDER BY hold_id
            """, ("m", municipality.Value));
        var holds = new List<PurgeHold>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            holds.Add(new PurgeHold(Long(reader.GetValue(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), DbValues.Date(reader, 4)!.Value,
                Long(reader.GetValue(5)), DbValues.Instant(reader.GetValue(6))!.Value, DbValues.Instant(reader.GetValue(7)), DbValues.Text(reader, 8)));
        return holds;
    }

    public async Task<long> AddHoldAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, string kind, string key, string reason,
        DateOnly until, long runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            INSERT INTO purge_hold (municipality_code, kind, record_key, reason, until, added_run_id, added_at) VALUES (@m, @kind, @key, @reason, @until, @run, @now)
            RETURNING hold_id
            """, ("m", municipality.Value), ("kind", kind), ("key", key), ("reason", reason), ("until", until), ("run", runId), ("now", now));
        return Long(await command.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>Ends the holds in force on a key; returns the ids ended.</summary>
    public async Task<List<long>> RemoveHoldsAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, string kind, string key,
        string reason, long runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ended = new List<long>();
        await using (var command = Command(connection, transaction,
            "SELECT hold_id FROM purge_hold WHERE municipality_code = @m AND kind = @kind AND record_key = @key AND removed_at IS NULL ORDER BY hold_id",
            ("m", municipality.Value), ("kind", kind), ("key", key)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) ended.Add(Long(reader.GetValue(0)));
        }
        foreach (var id in ended)
            await ExecuteAsync(connection, transaction, "UPDATE purge_hold SET removed_run_id = @run, removed_at = @now, removed_reason = @reason WHERE hold_id = @id",
                cancellationToken, ("run", runId), ("now", now), ("reason", reason), ("id", id));
        return ended;
    }

    // ---- Plans ----------------------------------------------------------------------------------------------------------

    /// <summary>Plans a killed plan run left before their report was written: never executable, removed with their items.</summary>
    public async Task<int> DropUnfinishedPlansAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, $"""
            DELETE FROM purge_plan_item WHERE plan_id IN (SELECT plan_id FROM purge_plan WHERE municipality_code = @m AND status = '{PlanStatus.Planning}')
            """, cancellationToken, ("m", municipality.Value));
        return await ExecuteAsync(connection, transaction, $"DELETE FROM purge_plan WHERE municipality_code = @m AND status = '{PlanStatus.Planning}'",
            cancellationToken, ("m", municipality.Value));
    }

    public async Task<long> AddPlanAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, DateOnly asOf,
        RetentionPolicy policy, long itemCount, long personCount, long personsOnFile, string counts, long heldCount, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"""
            INSERT INTO purge_plan (municipality_code, planned_run_id, as_of, policy, policy_digest, item_count, person_count, persons_on_file, counts, held_count,
                                    status, created_at)
            VALUES (@m, @run, @asOf, @policy, @digest, @items, @persons, @onFile, @counts, @held, '{PlanStatus.Planning}', @now)
            RETURNING plan_id
            """, ("m", municipality.Value), ("run", runId), ("asOf", asOf), ("policy", policy.Text), ("digest", policy.Digest), ("items", itemCount),
            ("persons", personCount), ("onFile", personsOnFile), ("counts", counts), ("held", heldCount), ("now", now));
        return Long(await command.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>Stores items with consecutive numbers from <paramref name="firstSeq"/>.</summary>
    public virtual Task AddItemsAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long planId, long firstSeq,
        IReadOnlyList<PlannedItem> items, CancellationToken cancellationToken)
    {
        var seq = firstSeq;
        return Sqlite.SqliteMemberWriter.ExecuteForEachAsync((Microsoft.Data.Sqlite.SqliteConnection)connection, (Microsoft.Data.Sqlite.SqliteTransaction)transaction,
            "INSERT INTO purge_plan_item (plan_id, seq, municipality_code, kind, record_key, event_date) VALUES ($plan, $seq, $m, $kind, $key, $event)",
            items, (item, x) =>
            {
                x["$plan"].Value = planId; x["$seq"].Value = seq++; x["$m"].Value = municipality.Value; x["$kind"].Value = RecordKinds.Name(item.Kind);
                x["$key"].Value = item.Key; x["$event"].Value = item.EventDate;
            }, cancellationToken);
    }

    public Task SetPlanReadyAsync(DbConnection connection, DbTransaction transaction, long planId, string? csv, string? xlsx, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"UPDATE purge_plan SET status = '{PlanStatus.Planned}', report_csv = @csv, report_xlsx = @xlsx WHERE plan_id = @id",
            cancellationToken, ("csv", csv), ("xlsx", xlsx), ("id", planId));

    public async Task<PurgePlanRecord?> PlanAsync(DbConnection connection, DbTransaction? transaction, MunicipalityCode municipality, long planId,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            SELECT plan_id, planned_run_id, as_of, policy, policy_digest, item_count, person_count, persons_on_file, counts, held_count, report_csv, report_xlsx,
                   status, created_at
            FROM purge_plan WHERE municipality_code = @m AND plan_id = @id
            """, ("m", municipality.Value), ("id", planId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new PurgePlanRecord(Long(reader.GetValue(0)), Long(reader.GetValue(1)), DbValues.Date(reader, 2)!.Value, reader.GetString(3), reader.GetString(4),
            Long(reader.GetValue(5)), Long(reader.GetValue(6)), Long(reader.GetValue(7)), reader.GetString(8), Long(reader.GetValue(9)), DbValues.Text(reader, 10),
            DbValues.Text(reader, 11), reader.GetString(12), DbValues.Instant(reader.GetValue(13))!.Value);
    }

    /// <summary>The items of a plan in order, streamed (the report).</summary>
    public async IAsyncEnumerable<PlanItem> ItemsAsync(DbConnection connection, long planId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, "SELECT seq, kind, record_key, event_date FROM purge_plan_item WHERE plan_id = @id ORDER BY seq", ("id", planId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            yield return new PlanItem(Long(reader.GetValue(0)), RecordKinds.Parse(reader.GetString(1)), DbValues.Text(reader, 2), DbValues.Date(reader, 3)!.Value);
    }

    // ---- Execute --------------------------------------------------------------------------------------------------------

    /// <summary>The next items not yet done after <paramref name="afterSeq"/> (a dry run rolls back, so it walks by number, not by outcome).</summary>
    public async Task<List<PlanItem>> NextItemsAsync(DbConnection connection, DbTransaction transaction, long planId, long afterSeq, int limit,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            SELECT seq, kind, record_key, event_date FROM purge_plan_item WHERE plan_id = @id AND seq > @after AND outcome IS NULL ORDER BY seq LIMIT @limit
            """, ("id", planId), ("after", afterSeq), ("limit", limit));
        var items = new List<PlanItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            items.Add(new PlanItem(Long(reader.GetValue(0)), RecordKinds.Parse(reader.GetString(1)), DbValues.Text(reader, 2), DbValues.Date(reader, 3)!.Value));
        return items;
    }

    /// <summary>
    /// Opens, for this transaction only, the audit log's controlled way through (migration 0009): on PostgreSQL a transaction-local
    /// setting the trigger reads, on SQLite a TEMP table only this connection has; and makes SQLite overwrite what it deletes.
    /// </summary>
    public virtual async Task OpenGateAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // secure_delete: deleted content is overwritten with zeros in the database file (and the pages the WAL carries), not only unlinked.
        await ExecuteAsync(connection, transaction, "PRAGMA secure_delete = ON", cancellationToken);
        await ExecuteAsync(connection, transaction, "CREATE TEMP TABLE IF NOT EXISTS purge_gate (opened integer)", cancellationToken);
    }

    /// <summary>Closes the gate before the transaction ends: a pooled connection must not keep it open.</summary>
    public virtual Task CloseGateAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "DROP TABLE IF EXISTS temp.purge_gate", cancellationToken);

    /// <summary>Loads the chunk's keys, with their item numbers, into <c>purge_keys</c> (emptied first).</summary>
    public virtual async Task LoadKeysAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<(string Key, long Seq)> keys, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, "CREATE TEMP TABLE IF NOT EXISTS purge_keys (k text PRIMARY KEY, seq integer NOT NULL)", cancellationToken);
        await ExecuteAsync(connection, transaction, "CREATE TEMP TABLE IF NOT EXISTS purge_audit (audit_id integer PRIMARY KEY, seq integer NOT NULL)", cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM purge_keys", cancellationToken);
        await Sqlite.SqliteMemberWriter.ExecuteForEachAsync((Microsoft.Data.Sqlite.SqliteConnection)connection, (Microsoft.Data.Sqlite.SqliteTransaction)transaction,
            "INSERT INTO purge_keys (k, seq) VALUES ($k, $seq)", keys, (key, x) => { x["$k"].Value = key.Key; x["$seq"].Value = key.Seq; }, cancellationToken);
    }

    /// <summary>
    /// Erases the people in <c>purge_keys</c> with everything of theirs: 個人番号, 資格, histories, waiting 住基 rows, follow-ups, filings,
    /// reconcile results; their audit rows lose what names them (key, before, after) and point at the purge log item instead
    /// (<c>&lt;municipality&gt;/erased/&lt;plan&gt;/&lt;item&gt;</c>), so who touched the record and when stays for the log's five years.
    /// </summary>
    public async Task ErasePeopleAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long planId, CancellationToken cancellationToken)
    {
        var m = ("m", (object?)municipality.Value);
        foreach (var table in new[] { "person_individual_number", "qualification", "person_address_history", "person_name_history", "juki_pending", "follow_up",
                     "jps_filing_processed", "reconcile_result", "match_decision" })
            await ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE municipality_code = @m AND atena_number IN (SELECT k FROM purge_keys)", cancellationToken, m);
        // A row a clerk could decide names its candidates by 宛名番号 (docs/architecture.md, "The clerk's decisions"): one naming an erased
        // person goes with them (such rows are few: those of the report runs still kept, about people long gone).
        await ExecuteAsync(connection, transaction, """
            DELETE FROM reconcile_result WHERE municipality_code = @m AND candidates IS NOT NULL
              AND EXISTS (SELECT 1 FROM purge_keys WHERE reconcile_result.candidates LIKE '%"' || purge_keys.k || '"%')
            """, cancellationToken, m);
        // First the rows to strip, each with its item (the keys drive the lookups: CROSS JOIN keeps SQLite from scanning the log per key),
        // then one update through the audit id.
        await ExecuteAsync(connection, transaction, "DELETE FROM purge_audit", cancellationToken);
        foreach (var table in new[] { "person", "person_individual_number" })
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO purge_audit (audit_id, seq)
                SELECT a.audit_id, k.seq FROM purge_keys k CROSS JOIN audit_log a
                WHERE a.municipality_code = @m AND a.table_name = '{table}' AND a.record_key = @m || '/{table}/' || k.k
                """, cancellationToken, m);
        // A person's 資格 keys run from <m>/qualification/<宛名番号>/ up to the same with the closing '/' raised to '0' (AuditLog's range).
        await ExecuteAsync(connection, transaction, """
            INSERT INTO purge_audit (audit_id, seq)
            SELECT a.audit_id, k.seq FROM purge_keys k CROSS JOIN audit_log a
            WHERE a.municipality_code = @m AND a.table_name = 'qualification'
              AND a.record_key >= @m || '/qualification/' || k.k || '/' AND a.record_key < @m || '/qualification/' || k.k || '0'
            """, cancellationToken, m);
        await AnalyzeAsync(connection, transaction, "purge_audit", cancellationToken);
        await ExecuteAsync(connection, transaction, StripAuditRowsSql, cancellationToken, m, ("plan", planId));
        await ExecuteAsync(connection, transaction, "DELETE FROM person WHERE municipality_code = @m AND atena_number IN (SELECT k FROM purge_keys)", cancellationToken, m);
    }

    /// <summary>Gives the planner statistics of a table (PostgreSQL); SQLite plans its few statements here without them.</summary>
    public virtual Task AnalyzeAsync(DbConnection connection, DbTransaction? transaction, string table, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Strips the audit rows in <c>purge_audit</c>. SQLite walks the ids (an UPDATE … FROM would scan the whole log: it has no
    /// statistics of a temporary table); PostgreSQL joins (<see cref="PostgresPurgeStore"/>).
    /// </summary>
    protected virtual string StripAuditRowsSql => """
        UPDATE audit_log SET table_name = 'erased',
               record_key = @m || '/erased/' || CAST(@plan AS text) || '/' || CAST((SELECT p.seq FROM purge_audit p WHERE p.audit_id = audit_log.audit_id) AS text),
               before_data = NULL, after_data = NULL
        WHERE audit_id IN (SELECT audit_id FROM purge_audit)
        """;

    /// <summary>Erases the 個人番号 alone of the people in <c>purge_keys</c>: the sealed number and any copy waiting with a 住基 row.</summary>
    public async Task EraseNumbersAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        var m = ("m", (object?)municipality.Value);
        await ExecuteAsync(connection, transaction, "DELETE FROM person_individual_number WHERE municipality_code = @m AND atena_number IN (SELECT k FROM purge_keys)",
            cancellationToken, m);
        await ExecuteAsync(connection, transaction, """
            UPDATE juki_pending SET number_digest = NULL, number_sealed = NULL WHERE municipality_code = @m AND atena_number IN (SELECT k FROM purge_keys)
            """, cancellationToken, m);
    }

    /// <summary>Erases the lists in <c>purge_keys</c> (file ids): rows, rejected rows, what reconcile recorded of them, the file record.</summary>
    public async Task EraseJpsFilesAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        var m = ("m", (object?)municipality.Value);
        foreach (var table in new[] { "jps_result", "jps_result_rejected", "jps_filing_processed", "reconcile_result", "match_decision", "jps_result_reconciled", "jps_result_file" })
            await ExecuteAsync(connection, transaction,
                $"DELETE FROM {table} WHERE municipality_code = @m AND file_id IN (SELECT CAST(k AS bigint) FROM purge_keys)", cancellationToken, m);
    }

    /// <summary>Deletes the audit rows in <c>purge_keys</c> (audit ids), through the gate.</summary>
    public Task EraseAuditRowsAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "DELETE FROM audit_log WHERE municipality_code = @m AND audit_id IN (SELECT CAST(k AS bigint) FROM purge_keys)",
            cancellationToken, ("m", municipality.Value));

    /// <summary>
    /// Deletes one run with what exists only for it (its problems, reconcile results and plans, follow-ups about no person, the 住基
    /// files it took). Inside a savepoint: should a record still name it after all (a foreign key refuses), nothing of it is deleted
    /// and false says so.
    /// </summary>
    public async Task<bool> TryEraseRunAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync("purge_run", cancellationToken);
        try
        {
            var p = new (string, object?)[] { ("m", municipality.Value), ("run", runId) };
            await ExecuteAsync(connection, transaction, "DELETE FROM run_problem WHERE run_id = @run", cancellationToken, p[1]);
            await ExecuteAsync(connection, transaction, "DELETE FROM reconcile_result WHERE run_id = @run", cancellationToken, p[1]);
            await ExecuteAsync(connection, transaction, "DELETE FROM reconcile_plan_chunk WHERE run_id IN (SELECT run_id FROM reconcile_plan WHERE run_id = @run OR completed_by_run_id = @run)",
                cancellationToken, p[1]);
            await ExecuteAsync(connection, transaction, "DELETE FROM reconcile_plan WHERE run_id = @run OR completed_by_run_id = @run", cancellationToken, p[1]);
            await ExecuteAsync(connection, transaction, "DELETE FROM follow_up WHERE municipality_code = @m AND atena_number IS NULL AND (raised_run_id = @run OR closed_run_id = @run)",
                cancellationToken, p);
            await ExecuteAsync(connection, transaction, "DELETE FROM juki_file WHERE municipality_code = @m AND (started_run_id = @run OR completed_run_id = @run)", cancellationToken, p);
            await ExecuteAsync(connection, transaction, "DELETE FROM batch_run WHERE municipality_code = @m AND run_id = @run", cancellationToken, p);
            await transaction.ReleaseAsync("purge_run", cancellationToken);
            return true;
        }
        catch (DbException e) when (!TransientFailure.Is(e))
        {
            await transaction.RollbackAsync("purge_run", cancellationToken);
            return false;
        }
    }

    /// <summary>Appends purge log rows (append-only: the trigger refuses any change afterwards).</summary>
    public virtual Task AppendLogAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long planId, long runId, DateTimeOffset now,
        IReadOnlyList<ErasureEntry> entries, CancellationToken cancellationToken) =>
        Sqlite.SqliteMemberWriter.ExecuteForEachAsync((Microsoft.Data.Sqlite.SqliteConnection)connection, (Microsoft.Data.Sqlite.SqliteTransaction)transaction, """
            INSERT INTO purge_log (municipality_code, plan_id, item_seq, run_id, kind, key_digest, rule, event_date, period_years, deleted_at)
            VALUES ($m, $plan, $seq, $run, $kind, $digest, $rule, $event, $period, $now)
            """, entries, (e, x) =>
            {
                x["$m"].Value = municipality.Value; x["$plan"].Value = planId; x["$seq"].Value = e.Seq; x["$run"].Value = runId;
                x["$kind"].Value = RecordKinds.Name(e.Kind); x["$digest"].Value = e.KeyDigest; x["$rule"].Value = e.Rule; x["$event"].Value = e.EventDate;
                x["$period"].Value = e.PeriodYears; x["$now"].Value = now;
            }, cancellationToken);

    /// <summary>Records each item's outcome; a person's key is cleared once erased (the plan keeps nothing it erased).</summary>
    public virtual Task SetOutcomesAsync(DbConnection connection, DbTransaction transaction, long planId, long runId, IReadOnlyList<ItemOutcome> outcomes,
        CancellationToken cancellationToken) =>
        Sqlite.SqliteMemberWriter.ExecuteForEachAsync((Microsoft.Data.Sqlite.SqliteConnection)connection, (Microsoft.Data.Sqlite.SqliteTransaction)transaction, """
            UPDATE purge_plan_item SET outcome = $outcome, reason = $reason, done_run_id = $run, record_key = CASE WHEN $clear = 1 THEN NULL ELSE record_key END
            WHERE plan_id = $plan AND seq = $seq
            """, outcomes, (o, x) =>
            {
                x["$outcome"].Value = o.Deleted ? "DELETED" : "SKIPPED"; x["$reason"].Value = DbValues.Param(o.Reason); x["$run"].Value = runId;
                x["$clear"].Value = o.ClearKey ? 1 : 0; x["$plan"].Value = planId; x["$seq"].Value = o.Seq;
            }, cancellationToken);

    public Task SetPlanStatusAsync(DbConnection connection, DbTransaction transaction, long planId, string status, long? runId, DateTimeOffset? at,
        CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, """
            UPDATE purge_plan SET status = @status, executed_run_id = COALESCE(@run, executed_run_id), executed_at = COALESCE(@at, executed_at) WHERE plan_id = @id
            """, cancellationToken, ("status", status), ("run", runId), ("at", at), ("id", planId));

    /// <summary>The outcome counts of a plan's items: deleted, skipped, not yet done.</summary>
    public async Task<(long Deleted, long Skipped, long Open)> OutcomesAsync(DbConnection connection, long planId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, """
            SELECT sum(CASE WHEN outcome = 'DELETED' THEN 1 ELSE 0 END), sum(CASE WHEN outcome = 'SKIPPED' THEN 1 ELSE 0 END), sum(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END)
            FROM purge_plan_item WHERE plan_id = @id
            """, ("id", planId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        long Value(int i) => reader.IsDBNull(i) ? 0 : Long(reader.GetValue(i));
        return (Value(0), Value(1), Value(2));
    }

    /// <summary>The items a plan left, with why (the execute's list).</summary>
    public async Task<List<(long Seq, string Kind, string? Key, string? Reason)>> SkippedAsync(DbConnection connection, long planId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, "SELECT seq, kind, record_key, reason FROM purge_plan_item WHERE plan_id = @id AND outcome = 'SKIPPED' ORDER BY seq",
            ("id", planId));
        var rows = new List<(long, string, string?, string?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add((Long(reader.GetValue(0)), reader.GetString(1), DbValues.Text(reader, 2), DbValues.Text(reader, 3)));
        return rows;
    }

    /// <summary>
    /// After an execute: leaves nothing of what was deleted where the database keeps old pages. SQLite rebuilds the file (VACUUM,
    /// with secure_delete on) and empties its WAL (checkpoint TRUNCATE), so neither the .db nor the -wal holds a deleted row;
    /// PostgreSQL vacuums the tables the purge touched, so their dead rows' space is reclaimed and reused.
    /// </summary>
    public virtual async Task FinishErasureAsync(Store store, CancellationToken cancellationToken)
    {
        await using var connection = await store.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA secure_delete = ON", cancellationToken);
        await ExecuteAsync(connection, null, "VACUUM", cancellationToken);
        await ExecuteAsync(connection, null, "PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken);
    }

    /// <summary>The purge log rows of a key digest, oldest first.</summary>
    public async Task<List<ErasureRecord>> ErasuresAsync(DbConnection connection, MunicipalityCode municipality, string kind, string digest, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, """
            SELECT plan_id, run_id, kind, rule, event_date, period_years, deleted_at FROM purge_log
            WHERE municipality_code = @m AND kind = @kind AND key_digest = @digest ORDER BY purge_id
            """, ("m", municipality.Value), ("kind", kind), ("digest", digest));
        var rows = new List<ErasureRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new ErasureRecord(Long(reader.GetValue(0)), Long(reader.GetValue(1)), reader.GetString(2), reader.GetString(3), DbValues.Date(reader, 4)!.Value,
                Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture), DbValues.Instant(reader.GetValue(6))!.Value));
        return rows;
    }

    /// <summary>The tables an execute may have changed, for PostgreSQL's VACUUM.</summary>
    protected static readonly string[] TouchedTables =
    [
        "person", "person_individual_number", "qualification", "person_address_history", "person_name_history", "juki_pending", "follow_up",
        "jps_filing_processed", "reconcile_result", "match_decision", "audit_log", "jps_result", "jps_result_rejected", "jps_result_reconciled", "jps_result_file",
        "run_problem", "reconcile_plan", "reconcile_plan_chunk", "juki_file", "batch_run", "purge_plan_item",
    ];
}
