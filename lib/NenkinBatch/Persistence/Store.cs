using System.Data.Common;
using NenkinBatch.Domain;
using NenkinBatch.Persistence.Postgres;
using NenkinBatch.Persistence.Sqlite;

namespace NenkinBatch.Persistence;

/// <summary>
/// One database, embedded SQLite or a city's PostgreSQL. Everything that differs between the
/// two is a member here or in the per-store folders; nothing else in the suite asks which it is.
/// </summary>
public abstract class Store
{
    protected Store(DatabaseTarget target) => Target = target;

    public DatabaseTarget Target { get; }
    public StoreKind Kind => Target.Kind;

    /// <summary>Opens a connection from the pool, ready for work (pragmas set on SQLite).</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Takes the one-at-a-time lock of a job for one municipality, or returns null when someone holds it.</summary>
    public abstract Task<IJobLock?> TryLockJobAsync(string job, MunicipalityCode municipality, CancellationToken cancellationToken);

    /// <summary>True when the schema has never been migrated (a new embedded file, an empty database).</summary>
    public abstract Task<bool> IsNewAsync(CancellationToken cancellationToken);

    /// <summary>The folder of this store's migrations among the embedded resources.</summary>
    public abstract string MigrationFolder { get; }

    /// <summary>Serialises migrators within the migration transaction.</summary>
    public abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Prepares the place the schema lives in (the PostgreSQL schema named by Search Path).</summary>
    public abstract Task EnsureContainerAsync(CancellationToken cancellationToken);

    public abstract Members.IMemberWriter CreateMemberWriter();

    public abstract Jps.JpsResultStore CreateJpsResultStore();

    public abstract Audit.IAuditWriter CreateAuditWriter();

    public static Store Create(DatabaseTarget target) => target.Kind switch
    {
        StoreKind.Sqlite => new SqliteStore(target),
        StoreKind.Postgres => new PostgresStore(target),
        _ => throw new ArgumentOutOfRangeException(nameof(target)),
    };
}
