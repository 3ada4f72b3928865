using System.Data.Common;
using Npgsql;
using NenkinBatch.Domain;
using NenkinBatch.Persistence.Audit;

namespace NenkinBatch.Persistence.Postgres;

/// <summary>Audit rows go straight in by raw binary COPY, encoded here: an append-only table needs no staging.</summary>
public sealed class PostgresAuditWriter : IAuditWriter
{
    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, string job, DateTimeOffset now,
        IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0) return;
        await using var stream = await ((NpgsqlConnection)connection).BeginRawBinaryCopyAsync($"COPY audit_log ({AuditColumns.Names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        using var rows = new PgBinaryRows();
        rows.Header();
        foreach (var e in entries)
        {
            rows.StartRow(10);
            rows.Text(municipality.Value);
            rows.Int64(runId);
            rows.Text(job);
            rows.Text(e.Table);
            rows.Text(e.RecordKey);
            rows.Text(e.Action);
            rows.Text(e.Before);
            rows.Text(e.After);
            rows.Bool(e.IndividualNumberAccessed);
            rows.Timestamp(now);
            await rows.FlushIfFullAsync(stream, cancellationToken);
        }
        rows.Trailer();
        await stream.WriteAsync(rows.Written, cancellationToken);
    }
}
