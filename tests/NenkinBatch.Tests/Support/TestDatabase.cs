using Npgsql;
using NenkinBatch.Domain;
using NenkinBatch.Persistence;
using NenkinBatch.Runtime;

namespace NenkinBatch.Tests.Support;

/// <summary>
/// A real, empty database of either kind for one test, plus a scratch folder: an SQLite file, or
/// a PostgreSQL schema of its own on the server named by NENKIN_TEST_PG (tests/with-postgres.sh
/// starts one), so tests run in any order and in parallel. A missing server fails the test.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public static readonly MunicipalityCode Municipality = MunicipalityCode.Parse("121002").Value;

    public static TheoryData<string> Kinds => new() { Sqlite, Postgres };

    private TestDatabase(string kind, string directory, string database, string? schema)
    {
        Kind = kind;
        Directory = directory;
        Database = database;
        Schema = schema;
        Store = Store.Create(DatabaseTarget.Parse(database, fromCommandLine: false));
    }

    public string Kind { get; }
    public string Directory { get; }
    /// <summary>What --db / NENKIN_DB would say for this database.</summary>
    public string Database { get; }
    public string? Schema { get; }
    public Store Store { get; private set; }

    /// <summary>A fresh connection pool, after a test has killed the connections of the old one.</summary>
    public void Reconnect()
    {
        _retired.Add(Store);
        Store = Store.Create(DatabaseTarget.Parse(Database, fromCommandLine: false));
    }

    private readonly List<Store> _retired = [];
    public string LogDirectory => Path.Combine(Directory, "logs");
    public string KeyFile => Path.Combine(Directory, "number.key");
    public string ReportDirectory => Path.Combine(Directory, "reports");

    public static string PostgresServer =>
        System.Environment.GetEnvironmentVariable("NENKIN_TEST_PG") is { Length: > 0 } server
            ? server
            : throw new InvalidOperationException("NENKIN_TEST_PG is not set: run the tests with tests/run.sh, which starts a throwaway PostgreSQL.");

    /// <summary>
    /// An empty database, as the first step of <c>nenkin-admin db migrate</c> leaves it (the SQLite file, the PostgreSQL
    /// schema) with no table yet: jobs migrate an existing SQLite file, but never create one.
    /// </summary>
    public static async Task<TestDatabase> CreateAsync(string kind)
    {
        var directory = CreateDirectory();
        TestDatabase database;
        if (kind == Sqlite)
        {
            database = new TestDatabase(kind, directory, Path.Combine(directory, "nenkin.db"), null);
        }
        else
        {
            var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
            // Its own application name too, so a test that terminates its own backends touches no other test.
            var builder = new NpgsqlConnectionStringBuilder(PostgresServer) { SearchPath = schema, ApplicationName = "nenkin-" + schema };
            database = new TestDatabase(kind, directory, builder.ConnectionString, schema);
        }
        await database.Store.EnsureContainerAsync(CancellationToken.None);
        return database;
    }

    /// <summary>A scratch folder of the test's own, owner-only as the suite makes its folders.</summary>
    public static string CreateDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "nenkin-test-" + Guid.NewGuid().ToString("N")[..12]);
        if (OperatingSystem.IsWindows()) System.IO.Directory.CreateDirectory(directory);
        else System.IO.Directory.CreateDirectory(directory, NenkinBatch.Foundation.PrivateFolder.OwnerOnly);
        return directory;
    }

    public static async Task<TestDatabase> CreateMigratedAsync(string kind)
    {
        var database = await CreateAsync(kind);
        await new Migrator(database.Store, TimeProvider.System).MigrateAsync(CancellationToken.None);
        return database;
    }

    public Settings Settings(int chunkSize = 5000, int retryAttempts = 3) => new()
    {
        Database = Database,
        Municipality = Municipality,
        LogDirectory = LogDirectory,
        KeyFile = KeyFile,
        ReportDirectory = ReportDirectory,
        ChunkSize = chunkSize,
        RetryMaxAttempts = retryAttempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
    };

    /// <summary>The environment that points an executable at this database (no command-line password, as in production).</summary>
    public Dictionary<string, string> Environment(int chunkSize = 5000, int retryAttempts = 3) => new()
    {
        ["NENKIN_DB"] = Database,
        ["NENKIN_MUNICIPALITY_CODE"] = Municipality.Value,
        ["NENKIN_LOG_DIR"] = LogDirectory,
        ["NENKIN_KEY_FILE"] = KeyFile,
        ["NENKIN_REPORT_DIR"] = ReportDirectory,
        ["NENKIN_CHUNK_SIZE"] = chunkSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["NENKIN_RETRY_MAX_ATTEMPTS"] = retryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["NENKIN_RETRY_BASE_DELAY_MS"] = "20",
    };

    public async Task<long> CountAsync(string table, string? where = null)
    {
        await using var connection = await Store.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM {table}{(where is null ? "" : " WHERE " + where)}";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A statement run by hand (a record changed behind the jobs' backs); the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = await Store.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>The rows of a query as text, one line per row, for comparing whole table contents.</summary>
    public async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = await Store.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                var value = reader.GetValue(i);
                values[i] = value switch
                {
                    DBNull => "∅",
                    DateOnly d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    byte[] b => Convert.ToHexString(b),
                    _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!.Trim(),
                };
            }
            rows.Add(string.Join("|", values));
        }
        return rows;
    }

    /// <summary>Every log line and file the run left behind, for privacy checks.</summary>
    public string AllLogText() =>
        System.IO.Directory.Exists(LogDirectory)
            ? string.Concat(System.IO.Directory.GetFiles(LogDirectory).Select(File.ReadAllText))
            : "";

    public async ValueTask DisposeAsync()
    {
        var leaked = PrivacyGuard.LeakedIn(AllLogText());
        foreach (var store in _retired.Append(Store)) await store.DisposeAsync();
        if (Schema is not null)
        {
            try
            {
                await using var connection = new NpgsqlConnection(PostgresServer);
                await connection.OpenAsync();
                // Whatever of this test is still connected (a pool the test made itself, a killed job's backend) goes
                // with its schema: idle backends would otherwise hold the server's connection slots for minutes.
                await using var terminate = new NpgsqlCommand(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE @name AND pid <> pg_backend_pid()", connection);
                terminate.Parameters.AddWithValue("name", "nenkin-" + Schema + "%");
                await terminate.ExecuteScalarAsync();
                await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // A test that stopped the server leaves its schema to the throwaway cluster's removal.
            }
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        leaked.ShouldBeEmpty("a 個人番号 from the test data reached a log file");
    }
}
