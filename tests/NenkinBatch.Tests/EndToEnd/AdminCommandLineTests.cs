using System.Text.Json;
using NenkinBatch.Foundation;
using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>The nenkin-admin executable as an operator uses it: exit codes, messages, no stack traces, no 個人番号.</summary>
public class AdminCommandLineTests
{
    private static void ShouldBeCleanConsole(AdminProcess.Result result)
    {
        result.All.ShouldNotContain("   at ");
        result.All.ShouldNotContain("Exception:");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task DbMigrate_TwiceThenStatus(string kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var env = database.Environment();

        var before = await AdminProcess.RunAsync(database.Directory, env, "db", "status");
        before.ExitCode.ShouldBe((int)ExitCode.RefusedBySafetyRule, before.All);
        before.Out.ShouldContain("未適用    0001_initial");

        var first = await AdminProcess.RunAsync(database.Directory, env, "db", "migrate");
        first.ExitCode.ShouldBe(0, first.All);
        first.Out.ShouldContain("0001_initial");
        var second = await AdminProcess.RunAsync(database.Directory, env, "db", "migrate");
        second.ExitCode.ShouldBe(0);
        second.Out.ShouldContain("適用するマイグレーションはありません");
        var status = await AdminProcess.RunAsync(database.Directory, env, "db", "status");
        status.ExitCode.ShouldBe(0, status.All);
        status.Out.ShouldContain("適用済み  0001_initial");
        status.Out.ShouldContain("スキーマは最新です");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task LoadMembers_BadRows_ExitCode10_RunsShowListsThemMasked_NoNumberAnywhere(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = MemberFile.Synthetic(60);
        var badNumber = MemberFile.WithWrongCheckDigit(file.Rows[30][16]);
        file.Rows[30][16] = badNumber;
        file.Rows[33][1] = file.Rows[3][16]; // a valid 個人番号 shifted into the 基礎年金番号 column
        file.Rows[40][4] = "20010229";
        var path = file.Write(Path.Combine(database.Directory, "members.csv"));
        var summary = Path.Combine(database.Directory, "summary.json");

        var load = await AdminProcess.RunAsync(database.Directory, database.Environment(chunkSize: 7), "load-members", path, "--summary", summary);
        load.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, load.All);
        ShouldBeCleanConsole(load);
        load.Error.ShouldContain("members.csv 32行目 項目「個人番号」");   // the file's lines: the header is line 1
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(summary));
        json.RootElement.GetProperty("status").GetString().ShouldBe("COMPLETED_WITH_ERRORS");
        json.RootElement.GetProperty("counts").GetProperty("rejected").GetInt64().ShouldBe(3);
        json.RootElement.GetProperty("counts").GetProperty("inserted").GetInt64().ShouldBe(57);
        var runId = json.RootElement.GetProperty("run_id").GetInt64();

        var show = await AdminProcess.RunAsync(database.Directory, database.Environment(), "runs", "show", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        show.ExitCode.ShouldBe(0);
        show.Out.ShouldContain("除外  members.csv  32  個人番号  ************");
        show.Out.ShouldContain("除外  members.csv  35  基礎年金番号  ************");
        show.Out.ShouldContain("除外  members.csv  42  生年月日  20010229");
        var runs = await AdminProcess.RunAsync(database.Directory, database.Environment(), "runs");
        runs.Out.ShouldContain("COMPLETED_WITH_ERRORS");

        var everything = load.All + show.All + runs.All + database.AllLogText() + await File.ReadAllTextAsync(summary);
        foreach (var number in file.IndividualNumbers.Append(badNumber)) everything.ShouldNotContain(number);
    }

    [Fact]
    public async Task LoadMembers_DatabaseUnreachable_ExitsDatabaseUnavailableAfterRetries_NoStackTrace()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var env = database.Environment(retryAttempts: 2);
        env["NENKIN_DB"] = $"Host=127.0.0.1;Port={ClosedPort()};Username=postgres;Database=nenkin;Timeout=2";
        env["NENKIN_KEY_FILE"] = database.KeyFile;
        var path = MemberFile.Synthetic(3).Write(Path.Combine(database.Directory, "m.csv"));

        var result = await AdminProcess.RunAsync(database.Directory, env, "load-members", path);

        result.ExitCode.ShouldBe((int)ExitCode.DatabaseUnavailable, result.All);
        result.Error.ShouldContain("データベースに接続できません");
        result.Error.ShouldContain("再試行します（2/2回目）");
        ShouldBeCleanConsole(result);
        database.AllLogText().ShouldContain("SocketException"); // the detail is for the log file, not the console
    }

    [Theory]
    [InlineData("load-members")]
    [InlineData("--no-such-option")]
    [InlineData("runs", "show", "abc")]
    public async Task BadCommandLine_UsageErrorExitCode(params string[] args)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var result = await AdminProcess.RunAsync(database.Directory, database.Environment(), args);
        result.ExitCode.ShouldBe((int)ExitCode.UsageError, result.All);
        result.Error.ShouldContain("--help");
        ShouldBeCleanConsole(result);
    }

    [Fact]
    public async Task MissingInputFile_InputRejected()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var result = await AdminProcess.RunAsync(database.Directory, database.Environment(), "load-members", Path.Combine(database.Directory, "none.csv"));
        result.ExitCode.ShouldBe((int)ExitCode.InputRejected, result.All);
        result.Error.ShouldContain("none.csv");
        ShouldBeCleanConsole(result);
    }

    [Fact]
    public async Task PasswordInDbOption_Refused()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var result = await AdminProcess.RunAsync(database.Directory, database.Environment(), "runs", "--db", "Host=localhost;Password=hunter2");
        result.ExitCode.ShouldBe((int)ExitCode.UsageError);
        result.All.ShouldNotContain("hunter2");
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
