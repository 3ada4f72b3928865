using System.Data.Common;
using Microsoft.Data.Sqlite;
using NenkinBatch.Domain;

namespace NenkinBatch.Persistence.Sqlite;

/// <summary>The embedded store: one file, WAL, and an OS file lock per job for one-at-a-time.</summary>
public sealed class SqliteStore(DatabaseTarget target) : Store(target)
{
    private string FilePath => new SqliteConnectionStringBuilder(Target.ConnectionString).DataSource;

    public override string MigrationFolder => "sqlite";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var connection = new SqliteConnection(Target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // WAL lets reports read while a job writes; synchronous=NORMAL is durable against a killed
        // process (only a power cut can lose the last commits, and those roll back whole with their checkpoint).
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public override Task<IJobLock?> TryLockJobAsync(string job, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        // The OS releases the lock when the holder dies, however it dies: a killed run never leaves it held.
        var path = $"{FilePath}.{municipality.Value}.{job}.lock";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return Task.FromResult<IJobLock?>(new FileJobLock(stream));
        }
        catch (IOException)
        {
            return Task.FromResult<IJobLock?>(null);
        }
    }

    public override async Task<bool> IsNewAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath)) return true;
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0;
    }

    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask; // BEGIN IMMEDIATE already holds the file's write lock.

    public override Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        return Task.CompletedTask;
    }

    public override Members.IMemberWriter CreateMemberWriter() => new SqliteMemberWriter();

    public override Jps.JpsResultStore CreateJpsResultStore() => new SqliteJpsResultStore();

    public override Audit.IAuditWriter CreateAuditWriter() => new SqliteAuditWriter();
}
