using NenkinBatch.Foundation;
using NenkinBatch.Persistence;
using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Runtime;

public sealed class SettingsTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("nenkin-settings-").FullName;
    private readonly string _exe = Directory.CreateTempSubdirectory("nenkin-exe-").FullName;

    private Settings Resolve(Settings.CommandLine cli, Dictionary<string, string>? env = null) =>
        Settings.Resolve(cli, name => env?.GetValueOrDefault(name), _work, _exe);

    private static Settings.CommandLine Cli(string? db = null, string? municipality = null, string? config = null, string? logDir = null) => new(db, municipality, logDir, config);

    [Fact]
    public void Resolve_CommandLineBeatsEnvironmentBeatsFile()
    {
        File.WriteAllText(Path.Combine(_work, "nenkinbatch.json"), """{ "municipalityCode": "121002", "db": "file.db", "chunkSize": 10 }""");
        var env = new Dictionary<string, string> { ["NENKIN_DB"] = "env.db", ["NENKIN_MUNICIPALITY_CODE"] = "131016" };

        Resolve(Cli()).Database.ShouldBe(Path.Combine(_work, "file.db"));
        Resolve(Cli(), env).Database.ShouldBe(Path.Combine(_work, "env.db"));
        Resolve(Cli(), env).Municipality.Value.ShouldBe("131016");
        Resolve(Cli(db: "cli.db", municipality: "121002"), env).Database.ShouldBe(Path.Combine(_work, "cli.db"));
        Resolve(Cli(db: "cli.db", municipality: "121002"), env).Municipality.Value.ShouldBe("121002");
        Resolve(Cli()).ChunkSize.ShouldBe(10);
    }

    [Fact]
    public void Resolve_EveryLayer_CommandLineOverEnvironmentOverFileOverDefault()
    {
        var bare = Resolve(Cli(municipality: "121002"));
        (bare.LogDirectory, bare.ChunkSize, bare.RetryMaxAttempts, bare.MatchThresholds.Review, bare.UnreflectedAfterDays)
            .ShouldBe((Path.Combine(_work, "logs"), 5000, 6, 8.0, 30));

        File.WriteAllText(Path.Combine(_work, "nenkinbatch.json"), """
            {
              // comments and trailing commas are allowed
              "municipalityCode": "121002",
              "logDir": "file-logs",
              "chunkSize": 10,
              "retry": { "maxAttempts": 4, },
              "reconcile": { "reviewScore": 5, "unreflectedAfterDays": 40 },
            }
            """);
        var fromFile = Resolve(Cli());
        (fromFile.LogDirectory, fromFile.ChunkSize, fromFile.RetryMaxAttempts, fromFile.MatchThresholds.Review, fromFile.UnreflectedAfterDays)
            .ShouldBe((Path.Combine(_work, "file-logs"), 10, 4, 5.0, 40));

        var env = new Dictionary<string, string>
        {
            ["NENKIN_LOG_DIR"] = "env-logs",
            ["NENKIN_CHUNK_SIZE"] = "20",
            ["NENKIN_RETRY_MAX_ATTEMPTS"] = "3",
            ["NENKIN_RECONCILE_REVIEW_SCORE"] = "6",
            ["NENKIN_RECONCILE_UNREFLECTED_AFTER_DAYS"] = " ", // blank counts as not set: the file's value stands
        };
        var fromEnvironment = Resolve(Cli(), env);
        (fromEnvironment.LogDirectory, fromEnvironment.ChunkSize, fromEnvironment.RetryMaxAttempts, fromEnvironment.MatchThresholds.Review, fromEnvironment.UnreflectedAfterDays)
            .ShouldBe((Path.Combine(_work, "env-logs"), 20, 3, 6.0, 40));

        Resolve(Cli(logDir: "cli-logs"), env).LogDirectory.ShouldBe(Path.Combine(_work, "cli-logs"));
    }

    [Fact]
    public void Resolve_PathsFromTheFileRelativeToIt_PathsFromCommandLineAndEnvironmentRelativeToWorkingDirectory()
    {
        var conf = Directory.CreateDirectory(Path.Combine(_work, "conf")).FullName;
        File.WriteAllText(Path.Combine(conf, "city.json"), """
            {
              "municipalityCode": "121002",
              "db": "data/nenkin.db",
              "logDir": "logs",
              "reportDir": "out",
              "keyFile": "keys/number.key",
              "codeTables": "codes.json"
            }
            """);
        var fromFile = Resolve(Cli(config: "conf/city.json"));
        fromFile.ConfigFileUsed.ShouldBe(Path.Combine(conf, "city.json"));
        (fromFile.Database, fromFile.LogDirectory, fromFile.ReportDirectory, fromFile.KeyFile, fromFile.CodeTablesFile).ShouldBe((
            Path.Combine(conf, "data", "nenkin.db"), Path.Combine(conf, "logs"), Path.Combine(conf, "out"),
            Path.Combine(conf, "keys", "number.key"), Path.Combine(conf, "codes.json")));

        // The same relative names given by hand: a key's value and its folder come from the same layer.
        var env = new Dictionary<string, string> { ["NENKIN_KEY_FILE"] = "keys/number.key", ["NENKIN_REPORT_DIR"] = "out" };
        var byHand = Resolve(Cli(db: "data/nenkin.db", logDir: "logs", config: "conf/city.json"), env);
        (byHand.Database, byHand.LogDirectory, byHand.ReportDirectory, byHand.KeyFile, byHand.CodeTablesFile).ShouldBe((
            Path.Combine(_work, "data", "nenkin.db"), Path.Combine(_work, "logs"), Path.Combine(_work, "out"),
            Path.Combine(_work, "keys", "number.key"), Path.Combine(conf, "codes.json")));

        // Unset, reportDir follows the log folder wherever that came from.
        File.WriteAllText(Path.Combine(conf, "city.json"), """{ "municipalityCode": "121002", "logDir": "var/logs/" }""");
        Resolve(Cli(config: "conf/city.json")).ReportDirectory.ShouldBe(Path.Combine(conf, "var", "reports"));
        Resolve(Cli(config: "conf/city.json"), new() { ["NENKIN_LOG_DIR"] = "var/logs" }).ReportDirectory.ShouldBe(Path.Combine(_work, "var", "reports"));
    }

    [Fact]
    public async Task RetryMaxAttempts_CountsEveryAttemptTheFirstIncluded_ZeroMeansNoRetry()
    {
        foreach (var (setting, attempts) in new[] { (6, 6), (2, 2), (1, 1), (0, 1) })
        {
            File.WriteAllText(Path.Combine(_work, "nenkinbatch.json"), $$"""{ "municipalityCode": "121002", "retry": { "maxAttempts": {{setting}}, "baseDelayMs": 0 } }""");
            var settings = Resolve(Cli());
            var pipeline = Resilience.ChunkPipeline(_ => true, settings.RetryMaxAttempts, settings.RetryBaseDelay,
                new ManualClock(DateTimeOffset.UnixEpoch), NLog.LogManager.CreateNullLogger());

            var tried = 0;
            await Should.ThrowAsync<TimeoutException>(async () =>
                await pipeline.ExecuteAsync(_ => { tried++; return ValueTask.FromException(new TimeoutException()); }));

            tried.ShouldBe(attempts, $"retry.maxAttempts = {setting}");
        }
    }

    [Fact]
    public void Resolve_SettingWrittenTwice_UsageErrorNamesTheFile()
    {
        File.WriteAllText(Path.Combine(_work, "nenkinbatch.json"), """{ "municipalityCode": "121002", "chunkSize": 10, "ChunkSize": 20 }""");
        var error = Should.Throw<OperatorException>(() => Resolve(Cli()));
        error.ExitCode.ShouldBe(ExitCode.UsageError);
        error.Message.ShouldContain(Path.Combine(_work, "nenkinbatch.json"));
    }

    [Fact]
    public void Resolve_FileBesideExecutable_UsedWhenWorkingDirectoryHasNone_PathsRelativeToIt()
    {
        File.WriteAllText(Path.Combine(_exe, "nenkinbatch.json"), """{ "municipalityCode": "121002", "db": "data/nenkin.db", "logDir": "logs" }""");
        var settings = Resolve(Cli());
        settings.Database.ShouldBe(Path.Combine(_exe, "data", "nenkin.db"));
        settings.LogDirectory.ShouldBe(Path.Combine(_exe, "logs"));
    }

    [Fact]
    public void Resolve_PostgresConnectionString_NotTreatedAsPath()
    {
        var settings = Resolve(Cli(municipality: "121002"), new() { ["NENKIN_DB"] = "Host=db.example;Database=nenkin" });
        settings.Database.ShouldBe("Host=db.example;Database=nenkin");
    }

    [Fact]
    public void Resolve_NoMunicipality_UsageErrorSaysWhereToSetIt()
    {
        var error = Should.Throw<OperatorException>(() => Resolve(Cli()));
        error.ExitCode.ShouldBe(ExitCode.UsageError);
        error.Message.ShouldContain("municipalityCode");
    }

    [Fact]
    public void Resolve_BrokenJson_UsageErrorNamesTheFile()
    {
        File.WriteAllText(Path.Combine(_work, "nenkinbatch.json"), "{\n  \"municipalityCode\": \"121002\",\n  \"chunkSize\": 10 10\n}");
        var error = Should.Throw<OperatorException>(() => Resolve(Cli()));
        error.ExitCode.ShouldBe(ExitCode.UsageError);
        error.Message.ShouldBe($"設定ファイル {Path.Combine(_work, "nenkinbatch.json")} の 3 行目が JSON として読めません。書式を確認してください。");
    }

    [Fact]
    public void DatabaseTarget_PasswordOnCommandLine_Refused()
    {
        var error = Should.Throw<OperatorException>(() => DatabaseTarget.Parse("Host=x;Password=secret", fromCommandLine: true));
        error.ExitCode.ShouldBe(ExitCode.UsageError);
        error.Message.ShouldNotContain("secret");
        DatabaseTarget.Parse("Host=x;Password=secret", fromCommandLine: false).Kind.ShouldBe(StoreKind.Postgres);
    }

    [Fact]
    public void DatabaseTarget_Uri_BecomesConnectionString()
    {
        var target = DatabaseTarget.Parse("postgresql://nenkin@db.local:5433/city?Search%20Path=chiba", fromCommandLine: true);
        target.Kind.ShouldBe(StoreKind.Postgres);
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(target.ConnectionString);
        (builder.Host, builder.Port, builder.Database, builder.Username, builder.SearchPath).ShouldBe(("db.local", 5433, "city", "nenkin", "chiba"));
    }

    [Fact]
    public void DatabaseTarget_PlainPath_IsSqlite() => DatabaseTarget.Parse("nenkin.db", true).Kind.ShouldBe(StoreKind.Sqlite);

    public void Dispose()
    {
        Directory.Delete(_work, true);
        Directory.Delete(_exe, true);
    }
}
