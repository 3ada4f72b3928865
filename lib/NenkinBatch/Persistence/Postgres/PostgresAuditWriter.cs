using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using NenkinBatch.Domain;
using NenkinBatch.Persistence.Audit;

namespace NenkinBatch.Persistence.Postgres;

/// <summary>Audit rows go straight in by binary COPY: an append-only table needs no staging.</summary>
public sealed class PostgresAuditWriter : IAuditWriter
{
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, string job, DateTimeOffset now,
        IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0) return;
        await using var audit = await ((NpgsqlConnection)connection).BeginBinaryImportAsync($"COPY audit_log ({AuditColumns.Names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var e in entries)
        {
            await audit.StartRowAsync(cancellationToken);
            await audit.WriteAsync(municipality.Value, NpgsqlDbType.Char, cancellationToken);
            await audit.WriteAsync(runId, NpgsqlDbType.Bigint, cancellationToken);
            await audit.WriteAsync(job, NpgsqlDbType.Text, cancellationToken);
            await audit.WriteAsync(e.Table, NpgsqlDbType.Text, cancellationToken);
            await audit.WriteAsync(e.RecordKey, NpgsqlDbType.Text, cancellationToken);
            await audit.WriteAsync(e.Action, NpgsqlDbType.Text, cancellationToken);
            await PostgresMemberWriter.WriteNullableAsync(audit, e.Before, NpgsqlDbType.Text, cancellationToken);
            await PostgresMemberWriter.WriteNullableAsync(audit, e.After, NpgsqlDbType.Text, cancellationToken);
            await audit.WriteAsync(e.IndividualNumberAccessed, NpgsqlDbType.Boolean, cancellationToken);
            await audit.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await audit.CompleteAsync(cancellationToken);
    }
}
