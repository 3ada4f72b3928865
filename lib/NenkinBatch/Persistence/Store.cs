using System.Data.Common;
using NenkinBatch.Domain;
using NenkinBatch.Persistence.Postgres;
using NenkinBatch.Persistence.Sqlite;

namespace NenkinBatch.Persistence;

/// <summary>
/// One database, embedded SQLite or a city's PostgreSQL. Everything that differs between the
/// two is a member here or in the per-store folders; nothing else in the suite asks which it is.
/// </summary>
public abstract class Store : IAsyncDisposable
{
    protected Store(DatabaseTarget target) => Target = target;

    public DatabaseTarget Target { get; }
    public StoreKind Kind => Target.Kind;

    /// <summary>Opens a connection from the pool, ready for work (pragmas set on SQLite).</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Takes the one-at-a-time lock of a job for one municipality, or returns null when someone holds it.</summary>
    public abstract Task<IJobLock?> TryLockJobAsync(string job, MunicipalityCode municipality, CancellationToken cancellationToken);

    /// <summary>
    /// Refuses, before anything is created beside it, a database that cannot be the one meant (exit 64, naming it):
    /// on SQLite a missing file — only <c>nenkin-admin db migrate</c> (<paramref name="creating"/>) makes one, so a
    /// mistyped path never becomes a new, empty database — a folder, a file that is not SQLite, or one this account cannot write.
    /// </summary>
    public virtual void CheckUsable(bool creating)
    {
    }

    /// <summary>True when the schema has never been migrated (a new embedded file, an empty database).</summary>
    public abstract Task<bool> IsNewAsync(CancellationToken cancellationToken);

    /// <summary>The folder of this store's migrations among the embedded resources.</summary>
    public abstract string MigrationFolder { get; }

    /// <summary>Serialises migrators within the migration transaction.</summary>
    public abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Prepares the place the schema lives in: the SQLite file (owner-only), the PostgreSQL schema named by Search Path.</summary>
    public abstract Task EnsureContainerAsync(CancellationToken cancellationToken);

    public abstract Members.IMemberWriter CreateMemberWriter();

    public abstract Jps.JpsResultStore CreateJpsResultStore();

    public abstract Audit.IAuditWriter CreateAuditWriter();

    public Juki.JukiStore CreateJukiStore() => Kind == StoreKind.Postgres ? new PostgresJukiStore() : new Juki.JukiStore();

    /// <summary>
    /// Closes the store's idle pooled connections. A pool otherwise keeps them open on the server for minutes after the
    /// last use, and a host that opens many stores one after another (the tests, a scheduler host) would exhaust the
    /// server's connection slots.
    /// </summary>
    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    public static Store Create(DatabaseTarget target) => target.Kind switch
    {
        StoreKind.Sqlite => new SqliteStore(target),
        StoreKind.Postgres => new PostgresStore(target),
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };
}
