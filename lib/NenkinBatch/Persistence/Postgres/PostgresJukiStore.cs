using System.Data.Common;
using Npgsql;
using NenkinBatch.Persistence.Juki;

namespace NenkinBatch.Persistence.Postgres;

/// <summary>
/// PostgreSQL: new people and 個人番号 and the address and name histories (only new rows: a 履歴番号 is applied once) straight in
/// by raw binary COPY, encoded here (<see cref="PgBinaryRows"/>); people and numbers already on file by COPY into a
/// transaction-scoped staging table and one upsert each.
/// </summary>
public sealed class PostgresJukiStore : JukiStore
{
    protected override string KeyFilter(string column) => $"{column} = ANY(@keys)";

    protected override object KeysParameter(IReadOnlyCollection<string> keys) => keys.ToArray();

    /// <summary>The index in the schema the job works in (the first of its search path): another municipality's is not this one.</summary>
    protected override async Task<bool> IndexExistsAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = @name)",
            (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("name", name);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Qualified by the schema the job works in: unqualified, a name gone from it would be looked up further along the search path.</summary>
    protected override string DropIndexSql(string name) =>
        $"DO $$ BEGIN EXECUTE format('DROP INDEX IF EXISTS %I.%I', current_schema(), '{name}'); END $$";

    protected override async Task WriteBulkAsync(DbConnection connection, DbTransaction transaction, string m, long runId, JukiWrites writes, CancellationToken cancellationToken)
    {
        var pg = (NpgsqlConnection)connection;
        var ct = cancellationToken;
        var personColumns = $"municipality_code, {PersonColumns}, created_run_id, updated_run_id";
        await CopyAsync(pg, $"person ({personColumns})", writes.People.Where(p => p.IsNew), 24, Person, ct);
        await StageAndUpsertAsync(pg, "person", personColumns, PersonUpsert, writes.People.Where(p => !p.IsNew).ToList(), 24, Person, ct);

        const string numberColumns = "municipality_code, atena_number, number_digest, number_sealed, updated_run_id";
        await CopyAsync(pg, $"person_individual_number ({numberColumns})", writes.Numbers.Where(n => n.IsNew), 5, Number, ct);
        await StageAndUpsertAsync(pg, "person_individual_number", numberColumns, NumberUpsert, writes.Numbers.Where(n => !n.IsNew).ToList(), 5, Number, ct);

        await CopyAsync(pg, "person_address_history (municipality_code, atena_number, history_number, change_reason, valid_from, postal_code, address, address_suffix, cancelled_by, run_id)",
            writes.Addresses, 10, (w, e) =>
            {
                w.Text(m); w.Text(e.AtenaNumber); w.Int32(e.HistoryNumber); w.Text(e.ChangeReason); w.Date(e.ValidFrom);
                w.Text(e.Value.PostalCode); w.Text(e.Value.Address); w.Text(e.Value.AddressSuffix); w.Int32(e.CancelledBy); w.Int64(runId);
            }, ct);
        await CopyAsync(pg, "person_name_history (municipality_code, atena_number, history_number, change_reason, valid_from, name, name_kana, common_name, cancelled_by, run_id)",
            writes.Names, 10, (w, e) =>
            {
                w.Text(m); w.Text(e.AtenaNumber); w.Int32(e.HistoryNumber); w.Text(e.ChangeReason); w.Date(e.ValidFrom);
                w.Text(e.Value.Name); w.Text(e.Value.NameKana); w.Text(e.Value.CommonName); w.Int32(e.CancelledBy); w.Int64(runId);
            }, ct);

        void Person(PgBinaryRows w, PersonWrite p)
        {
            var s = p.Snapshot;
            w.Text(m); w.Text(p.AtenaNumber); w.Text(s.Name); w.Text(s.NameKana); w.Text(s.CommonName); w.Date(s.BirthDate); w.Text(s.BirthDateText);
            w.Int16(s.Sex); w.Int16(s.ResidentKind); w.Int16(s.ResidentStatus); w.Text(s.HouseholdNumber); w.Text(s.Relationship); w.Text(s.PostalCode);
            w.Text(s.Address); w.Text(s.AddressSuffix); w.Date(s.BecameResidentOn); w.Text(s.MovedOutTo); w.Date(s.RemovedOn); w.Text(s.Nationality);
            w.Bool(s.DisclosureBlock); w.Int32(p.HistoryNumber); w.Text(p.ChangeLog); w.Int64(runId); w.Int64(runId);
        }

        void Number(PgBinaryRows w, (Members.SealedNumber Number, bool IsNew) n)
        {
            w.Text(m); w.Text(n.Number.AtenaNumber); w.Bytes(n.Number.Digest); w.Bytes(n.Number.Sealed); w.Int64(runId);
        }
    }

    /// <summary>Each list in one statement, its columns bound as arrays: a first load holds thousands of rows back and releases them.</summary>
    protected override async Task WritePendingAsync(DbConnection connection, DbTransaction transaction, string m, long runId, IReadOnlyCollection<PendingRow> added,
        IReadOnlyCollection<(string AtenaNumber, int HistoryNumber)> removed, CancellationToken cancellationToken)
    {
        var pg = (NpgsqlConnection)connection;
        if (added.Count > 0)
        {
            await using var insert = new NpgsqlCommand($"""
                INSERT INTO juki_pending ({PendingColumns})
                SELECT @m, a, h, f, l, s, d, n, seen, r, @run
                FROM unnest(@a, @h, @f, @l, @s, @d, @n, @seen, @r) AS w (a, h, f, l, s, d, n, seen, r)
                {PendingConflict}
                """, pg);
            insert.Parameters.AddWithValue("m", m);
            insert.Parameters.AddWithValue("run", runId);
            insert.Parameters.AddWithValue("a", added.Select(p => p.AtenaNumber).ToArray());
            insert.Parameters.AddWithValue("h", added.Select(p => p.HistoryNumber).ToArray());
            insert.Parameters.AddWithValue("f", added.Select(p => p.FileId).ToArray());
            insert.Parameters.AddWithValue("l", added.Select(p => p.Line).ToArray());
            insert.Parameters.AddWithValue("s", added.Select(p => p.Snapshot).ToArray());
            insert.Parameters.Add(new NpgsqlParameter("d", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bytea) { Value = added.Select(p => p.NumberDigest).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("n", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bytea) { Value = added.Select(p => p.NumberSealed).ToArray() });
            insert.Parameters.AddWithValue("seen", added.Select(p => p.FirstSeenOn).ToArray());
            insert.Parameters.AddWithValue("r", added.Select(p => p.RaisesFollowUps).ToArray());
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        if (removed.Count > 0)
        {
            await using var delete = new NpgsqlCommand("""
                DELETE FROM juki_pending p USING unnest(@a, @h) AS r (a, h)
                WHERE p.municipality_code = @m AND p.atena_number = r.a AND p.history_number = r.h
                """, pg);
            delete.Parameters.AddWithValue("m", m);
            delete.Parameters.AddWithValue("a", removed.Select(p => p.AtenaNumber).ToArray());
            delete.Parameters.AddWithValue("h", removed.Select(p => p.HistoryNumber).ToArray());
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task StageAndUpsertAsync<T>(NpgsqlConnection connection, string table, string columns, string upsert, IReadOnlyCollection<T> rows,
        short fields, Action<PgBinaryRows, T> encode, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        var stage = $"stage_{table}";
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE IF NOT EXISTS {stage} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP", connection))
            await create.ExecuteNonQueryAsync(cancellationToken);
        await CopyAsync(connection, $"{stage} ({columns})", rows, fields, encode, cancellationToken);
        await using var merge = new NpgsqlCommand($"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} {upsert}", connection);
        await merge.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string tableAndColumns, IEnumerable<T> rows, short fields, Action<PgBinaryRows, T> encode,
        CancellationToken cancellationToken)
    {
        using var buffer = new PgBinaryRows();
        NpgsqlRawCopyStream? stream = null;
        try
        {
            foreach (var row in rows)
            {
                if (stream is null)
                {
                    stream = await connection.BeginRawBinaryCopyAsync($"COPY {tableAndColumns} FROM STDIN (FORMAT BINARY)", cancellationToken);
                    buffer.Header();
                }
                buffer.StartRow(fields);
                encode(buffer, row);
                await buffer.FlushIfFullAsync(stream, cancellationToken);
            }
            if (stream is null) return;
            buffer.Trailer();
            await stream.WriteAsync(buffer.Written, cancellationToken);
        }
        finally
        {
            if (stream is not null) await stream.DisposeAsync();
        }
    }
}
