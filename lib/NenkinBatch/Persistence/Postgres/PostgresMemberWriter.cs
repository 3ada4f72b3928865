using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using NenkinBatch.Domain;
using NenkinBatch.Persistence.Members;

namespace NenkinBatch.Persistence.Postgres;

/// <summary>
/// PostgreSQL: binary COPY into a transaction-scoped staging table, then one set-based upsert per
/// table; the audit rows go straight in by COPY (an append-only table needs no staging).
/// </summary>
public sealed class PostgresMemberWriter : MemberWriterBase
{
    protected override string KeyFilter => "atena_number = ANY(@keys)";

    protected override void BindKeys(DbCommand command, IReadOnlyCollection<string> atenaNumbers) =>
        ((NpgsqlCommand)command).Parameters.Add(new NpgsqlParameter<string[]>("keys", atenaNumbers.ToArray()));

    public override async Task WriteAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, string job,
        DateTimeOffset now, MemberChanges changes, CancellationToken cancellationToken)
    {
        var pg = (NpgsqlConnection)connection;
        var m = municipality.Value;

        await StageAndUpsertAsync(pg, "person", $"municipality_code, {PersonColumns}, created_run_id, updated_run_id", PersonUpsert, changes.People, async (w, p) =>
        {
            await w.WriteAsync(m, NpgsqlDbType.Char, cancellationToken);
            await w.WriteAsync(p.AtenaNumber, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(w, p.BasicPensionNumber, NpgsqlDbType.Char, cancellationToken);
            await w.WriteAsync(p.Name, NpgsqlDbType.Text, cancellationToken);
            await w.WriteAsync(p.NameKana, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(w, p.BirthDate, NpgsqlDbType.Date, cancellationToken);
            await WriteNullableAsync(w, p.BirthDateText, NpgsqlDbType.Text, cancellationToken);
            await w.WriteAsync((short)p.Sex, NpgsqlDbType.Smallint, cancellationToken);
            await WriteNullableAsync(w, p.PostalCode, NpgsqlDbType.Text, cancellationToken);
            await w.WriteAsync(p.Address, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(w, p.AddressSuffix, NpgsqlDbType.Text, cancellationToken);
            await w.WriteAsync((short)p.ResidentStatus, NpgsqlDbType.Smallint, cancellationToken);
            await WriteNullableAsync(w, p.RemovedOn, NpgsqlDbType.Date, cancellationToken);
            await w.WriteAsync(runId, NpgsqlDbType.Bigint, cancellationToken);
            await w.WriteAsync(runId, NpgsqlDbType.Bigint, cancellationToken);
        }, cancellationToken);

        await StageAndUpsertAsync(pg, "qualification", $"municipality_code, {PeriodColumns}, created_run_id, updated_run_id", PeriodUpsert, changes.Periods, async (w, q) =>
        {
            await w.WriteAsync(m, NpgsqlDbType.Char, cancellationToken);
            await w.WriteAsync(q.AtenaNumber, NpgsqlDbType.Text, cancellationToken);
            await w.WriteAsync(q.Period.AcquiredOn, NpgsqlDbType.Date, cancellationToken);
            await w.WriteAsync((short)q.Period.InsuredCategory, NpgsqlDbType.Smallint, cancellationToken);
            await WriteNullableAsync(w, q.Period.AcquisitionReason, NpgsqlDbType.Char, cancellationToken);
            await WriteNullableAsync(w, q.Period.LostOn, NpgsqlDbType.Date, cancellationToken);
            await WriteNullableAsync(w, q.Period.LossReason, NpgsqlDbType.Char, cancellationToken);
            await w.WriteAsync(runId, NpgsqlDbType.Bigint, cancellationToken);
            await w.WriteAsync(runId, NpgsqlDbType.Bigint, cancellationToken);
        }, cancellationToken);

        await StageAndUpsertAsync(pg, "person_individual_number", "municipality_code, atena_number, number_digest, number_sealed, updated_run_id", NumberUpsert, changes.Numbers, async (w, n) =>
        {
            await w.WriteAsync(m, NpgsqlDbType.Char, cancellationToken);
            await w.WriteAsync(n.AtenaNumber, NpgsqlDbType.Text, cancellationToken);
            await w.WriteAsync(n.Digest, NpgsqlDbType.Bytea, cancellationToken);
            await w.WriteAsync(n.Sealed, NpgsqlDbType.Bytea, cancellationToken);
            await w.WriteAsync(runId, NpgsqlDbType.Bigint, cancellationToken);
        }, cancellationToken);

        await new PostgresAuditWriter().WriteAsync(connection, transaction, municipality, runId, job, now, changes.Audit, cancellationToken);
    }

    internal static async Task StageAndUpsertAsync<T>(NpgsqlConnection connection, string table, string columns, string upsert, IReadOnlyCollection<T> rows,
        Func<NpgsqlBinaryImporter, T, Task> writeRow, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        var stage = $"stage_{table}";
        await using (var create = new NpgsqlCommand($"CREATE TEMP TABLE {stage} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP", connection))
            await create.ExecuteNonQueryAsync(cancellationToken);
        await using (var importer = await connection.BeginBinaryImportAsync($"COPY {stage} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync(cancellationToken);
                await writeRow(importer, row);
            }
            await importer.CompleteAsync(cancellationToken);
        }
        await using var merge = new NpgsqlCommand($"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} {upsert}", connection);
        await merge.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken) where T : class =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, type, cancellationToken);

    internal static Task WriteNullableAsync<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type, CancellationToken cancellationToken) where T : struct =>
        value is { } v ? importer.WriteAsync(v, type, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
