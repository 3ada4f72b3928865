using System.Data.Common;

namespace NenkinBatch.Persistence;

/// <summary>A job's one-at-a-time lock, held for the run.</summary>
public interface IJobLock : IAsyncDisposable
{
    /// <summary>
    /// Whether the lock is still held, asked inside each chunk's transaction: a PostgreSQL session lock dies with
    /// its connection, and a chunk must not commit after another instance could have started.
    /// </summary>
    Task<bool> IsHeldAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);
}

/// <summary>An OS file lock (SQLite): it cannot be lost while the process lives.</summary>
public sealed class FileJobLock(FileStream file) : IJobLock
{
    public Task<bool> IsHeldAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.FromResult(true);

    public ValueTask DisposeAsync() => file.DisposeAsync();
}
