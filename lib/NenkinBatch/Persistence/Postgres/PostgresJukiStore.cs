using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using NenkinBatch.Persistence.Juki;

namespace NenkinBatch.Persistence.Postgres;

/// <summary>
/// PostgreSQL: people and 個人番号 by binary COPY into a transaction-scoped staging table and one upsert each; applied changes and the
/// address and name histories (only new rows: a 履歴番号 is applied once) straight in by binary COPY.
/// </summary>
public sealed class PostgresJukiStore : JukiStore
{
    protected override string KeyFilter(string column) => $"{column} = ANY(@keys)";

    protected override object KeysParameter(IReadOnlyCollection<string> keys) => keys.ToArray();

    protected override async Task WriteBulkAsync(DbConnection connection, DbTransaction transaction, string m, long runId, JukiWrites writes, CancellationToken cancellationToken)
    {
        var pg = (NpgsqlConnection)connection;
        var ct = cancellationToken;
        await PostgresMemberWriter.StageAndUpsertAsync(pg, "person", $"municipality_code, {PersonColumns}, created_run_id, updated_run_id", PersonUpsert, writes.People, async (w, p) =>
        {
            var s = p.Snapshot;
            await w.WriteAsync(m, NpgsqlDbType.Char, ct);
            await w.WriteAsync(p.AtenaNumber, NpgsqlDbType.Text, ct);
            await w.WriteAsync(s.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(s.NameKana, NpgsqlDbType.Text, ct);
            await PostgresMemberWriter.WriteNullableAsync(w, s.CommonName, NpgsqlDbType.Text, ct);
            await PostgresMemberWriter.WriteNullableAsync(w, s.BirthDate, NpgsqlDbType.Date, ct);
            await PostgresMemberWriter.WriteNullableAsync(w, s.BirthDateText, NpgsqlDbType.Text, ct);
            await w.WriteAsync((short)s.Sex, NpgsqlDbType.Smallint, ct);
            await PostgresMemberWriter.WriteNullableAsync(w, s.ResidentKind is { } kind ? (short?)kind : null, NpgsqlDbType.Smallint, ct);
            await w.WriteAsync((short)s.ResidentStatus, NpgsqlDbType.Smallint, ct);
            await PostgresMemberWriter.WriteNullableAsync(w, s.HouseholdNumber, NpgsqlDbType.Text, ct);
            await PostgresMemberWriter.WriteNullableAsync(w, s.Relationship, NpgsqlDbType.Text, ct);
            await PostgresMemberWriter.WriteNullableAsync(w, s.PostalCode, NpgsqlDbType.Text, ct);
            await w.WriteAsync(s.Address, NpgsqlDbType.Text, ct);
            await PostgresMemberWriter.WriteNullableAsync(w, s.AddressSuffix, NpgsqlDbType.Text, ct);
            await PostgresMemberWriter.WriteNullableAsync(w, s.BecameResidentOn, NpgsqlDbType.Date, ct);
            await PostgresMemberWriter.WriteNullableAsync(w, s.MovedOutTo, NpgsqlDbType.Text, ct);
            await PostgresMemberWriter.WriteNullableAsync(w, s.RemovedOn, NpgsqlDbType.Date, ct);
            await PostgresMemberWriter.WriteNullableAsync(w, s.Nationality, NpgsqlDbType.Text, ct);
            await w.WriteAsync(s.DisclosureBlock, NpgsqlDbType.Boolean, ct);
            await w.WriteAsync(p.HistoryNumber, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
            await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
        }, ct);

        await PostgresMemberWriter.StageAndUpsertAsync(pg, "person_individual_number", "municipality_code, atena_number, number_digest, number_sealed, updated_run_id", NumberUpsert,
            writes.Numbers, async (w, n) =>
            {
                await w.WriteAsync(m, NpgsqlDbType.Char, ct);
                await w.WriteAsync(n.AtenaNumber, NpgsqlDbType.Text, ct);
                await w.WriteAsync(n.Digest, NpgsqlDbType.Bytea, ct);
                await w.WriteAsync(n.Sealed, NpgsqlDbType.Bytea, ct);
                await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
            }, ct);

        await CopyAsync(pg, "person_juki_change (municipality_code, atena_number, history_number, change_reason, changed_on, processed_on, cancelled_by, applied_run_id)",
            writes.Changes, async (w, c) =>
            {
                await w.WriteAsync(m, NpgsqlDbType.Char, ct);
                await w.WriteAsync(c.AtenaNumber, NpgsqlDbType.Text, ct);
                await w.WriteAsync(c.HistoryNumber, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(c.ChangeReason, NpgsqlDbType.Char, ct);
                await w.WriteAsync(c.ChangedOn, NpgsqlDbType.Date, ct);
                await w.WriteAsync(c.ProcessedOn, NpgsqlDbType.Date, ct);
                await PostgresMemberWriter.WriteNullableAsync(w, c.CancelledBy, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
            }, ct);

        await CopyAsync(pg, "person_address_history (municipality_code, atena_number, history_number, change_reason, valid_from, postal_code, address, address_suffix, cancelled_by, run_id)",
            writes.Addresses, async (w, e) =>
            {
                await w.WriteAsync(m, NpgsqlDbType.Char, ct);
                await w.WriteAsync(e.AtenaNumber, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.HistoryNumber, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(e.ChangeReason, NpgsqlDbType.Char, ct);
                await w.WriteAsync(e.ValidFrom, NpgsqlDbType.Date, ct);
                await PostgresMemberWriter.WriteNullableAsync(w, e.Value.PostalCode, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.Value.Address, NpgsqlDbType.Text, ct);
                await PostgresMemberWriter.WriteNullableAsync(w, e.Value.AddressSuffix, NpgsqlDbType.Text, ct);
                await PostgresMemberWriter.WriteNullableAsync(w, e.CancelledBy, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
            }, ct);

        await CopyAsync(pg, "person_name_history (municipality_code, atena_number, history_number, change_reason, valid_from, name, name_kana, common_name, cancelled_by, run_id)",
            writes.Names, async (w, e) =>
            {
                await w.WriteAsync(m, NpgsqlDbType.Char, ct);
                await w.WriteAsync(e.AtenaNumber, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.HistoryNumber, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(e.ChangeReason, NpgsqlDbType.Char, ct);
                await w.WriteAsync(e.ValidFrom, NpgsqlDbType.Date, ct);
                await w.WriteAsync(e.Value.Name, NpgsqlDbType.Text, ct);
                await w.WriteAsync(e.Value.NameKana, NpgsqlDbType.Text, ct);
                await PostgresMemberWriter.WriteNullableAsync(w, e.Value.CommonName, NpgsqlDbType.Text, ct);
                await PostgresMemberWriter.WriteNullableAsync(w, e.CancelledBy, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
            }, ct);
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string tableAndColumns, IReadOnlyCollection<T> rows, Func<NpgsqlBinaryImporter, T, Task> writeRow,
        CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {tableAndColumns} FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            await writeRow(importer, row);
        }
        await importer.CompleteAsync(cancellationToken);
    }
}
