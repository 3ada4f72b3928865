using System.Data.Common;
using NenkinBatch.Domain;

namespace NenkinBatch.Persistence.Audit;

/// <summary>Appends audit rows inside the caller's transaction: the change and its audit commit together.</summary>
public interface IAuditWriter
{
    Task WriteAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, string job, DateTimeOffset now,
        IReadOnlyCollection<AuditEntry> entries, CancellationToken cancellationToken);
}
