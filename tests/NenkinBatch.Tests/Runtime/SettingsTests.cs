using NenkinBatch.Foundation;
using NenkinBatch.Persistence;
using NenkinBatch.Runtime;

namespace NenkinBatch.Tests.Runtime;

public sealed class SettingsTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("nenkin-settings-").FullName;
    private readonly string _exe = Directory.CreateTempSubdirectory("nenkin-exe-").FullName;

    private Settings Resolve(Settings.CommandLine cli, Dictionary<string, string>? env = null) =>
        Settings.Resolve(cli, name => env?.GetValueOrDefault(name), _work, _exe);

    private static Settings.CommandLine Cli(string? db = null, string? municipality = null, string? config = null) => new(db, municipality, null, config);

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
        File.WriteAllText(Path.Combine(_work, "nenkinbatch.json"), "{ \"municipalityCode\": ");
        var error = Should.Throw<OperatorException>(() => Resolve(Cli()));
        error.ExitCode.ShouldBe(ExitCode.UsageError);
        error.Message.ShouldContain("nenkinbatch.json");
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
