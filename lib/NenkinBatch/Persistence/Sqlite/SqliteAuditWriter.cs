using System.Data.Common;
using Microsoft.Data.Sqlite;
using NenkinBatch.Domain;
using NenkinBatch.Persistence.Audit;

namespace NenkinBatch.Persistence.Sqlite;

public sealed class SqliteAuditWriter : IAuditWriter
{
    public Task WriteAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, string job, DateTimeOffset now,
        IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken) =>
        SqliteMemberWriter.ExecuteForEachAsync((SqliteConnection)connection, (SqliteTransaction)transaction, $"""
            INSERT INTO audit_log ({AuditColumns.Names}) VALUES ($m, $run, $job, $table, $key, $action, $before, $after, $number, $at)
            """, entries, (e, x) =>
            {
                x["$m"].Value = municipality.Value; x["$run"].Value = runId; x["$job"].Value = job; x["$table"].Value = e.Table; x["$key"].Value = e.RecordKey;
                x["$action"].Value = e.Action; x["$before"].Value = DbValues.Param(e.Before); x["$after"].Value = DbValues.Param(e.After);
                x["$number"].Value = e.IndividualNumberAccessed; x["$at"].Value = now;
            }, cancellationToken);
}
