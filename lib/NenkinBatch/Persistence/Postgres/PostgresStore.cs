using System.Data.Common;
using Npgsql;
using NenkinBatch.Domain;

namespace NenkinBatch.Persistence.Postgres;

/// <summary>The city's store: pooled connections for work, a dedicated connection holding a session advisory lock per job.</summary>
public sealed class PostgresStore : Store
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlConnectionStringBuilder _builder;

    public PostgresStore(DatabaseTarget target) : base(target)
    {
        _builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        if (string.IsNullOrEmpty(_builder.ApplicationName)) _builder.ApplicationName = "nenkinbatch";
        // The jobs' statements are short and many (one per chunk); compiling each with JIT costs more than it saves.
        if (string.IsNullOrEmpty(_builder.Options)) _builder.Options = "-c jit=off";
        _dataSource = NpgsqlDataSource.Create(_builder.ConnectionString);
    }

    /// <summary>The schema the tables live in: the first entry of Search Path, else public.</summary>
    public string Schema => _builder.SearchPath?.Split(',')[0].Trim() is { Length: > 0 } schema ? schema : "public";

    public override string MigrationFolder => "postgres";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override async Task<IJobLock?> TryLockJobAsync(string job, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        // Not pooled: a session lock must live exactly as long as this connection, and die with the process.
        var lockBuilder = new NpgsqlConnectionStringBuilder(_builder.ConnectionString)
        {
            Pooling = false,
            ApplicationName = $"{_builder.ApplicationName}-lock",
        };
        var connection = new NpgsqlConnection(lockBuilder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(@key, 0))", connection);
        command.Parameters.AddWithValue("key", $"nenkinbatch:{Schema}:{municipality.Value}:{job}");
        if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!) return new AdvisoryJobLock(connection);
        await connection.DisposeAsync();
        return null;
    }

    public override async Task<bool> IsNewAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT to_regclass(quote_ident(@schema) || '.schema_migration') IS NULL", (NpgsqlConnection)connection);
        command.Parameters.AddWithValue("schema", Schema);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public override async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.AddWithValue("key", $"nenkinbatch:{Schema}:migrate");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Schema == "public") return;
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS {QuoteIdentifier(Schema)}", (NpgsqlConnection)connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override Members.IMemberWriter CreateMemberWriter() => new PostgresMemberWriter();

    public override Jps.JpsResultStore CreateJpsResultStore() => new PostgresJpsResultStore();

    public override Audit.IAuditWriter CreateAuditWriter() => new PostgresAuditWriter();

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A session advisory lock on its own connection, found again by that connection's backend process id.</summary>
    private sealed class AdvisoryJobLock(NpgsqlConnection connection) : IJobLock
    {
        private readonly int _backend = connection.ProcessID;

        public async Task<bool> IsHeldAsync(DbConnection work, DbTransaction transaction, CancellationToken cancellationToken)
        {
            await using var command = new NpgsqlCommand(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = @pid AND granted)", (NpgsqlConnection)work, (NpgsqlTransaction)transaction);
            command.Parameters.AddWithValue("pid", _backend);
            return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        /// <summary>
        /// Releases the lock on the server before closing: a closed connection's backend exits (and drops its locks)
        /// a moment after the client has gone, so a next run started at once could otherwise still find it held.
        /// </summary>
        public async ValueTask DisposeAsync()
        {
            try
            {
                if (connection.State == System.Data.ConnectionState.Open)
                {
                    await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                    await unlock.ExecuteNonQueryAsync();
                }
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The connection is already gone, and with it the lock.
            }
            await connection.DisposeAsync();
        }
    }
}
