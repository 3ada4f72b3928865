using NenkinBatch.Foundation;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>
/// Paths an operator gets wrong on a bad night — a mistyped database, a folder where a file belongs, a folder the
/// account cannot write: each is exit 64 with a message naming the path and the option or setting, never exit 70,
/// never a new empty database, and no claim of a log that was not written or of work that never ran.
/// Permissions are Unix modes here, as on the batch servers the suite runs its tests on.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class OperatorPathTests
{
    private static readonly string CitySample = Path.Combine(AdminProcess.RepositoryRoot, "samples", "city", "jps-result.csv");

    private static void ShouldBeOperatorError(AdminProcess.Result result, string path)
    {
        result.ExitCode.ShouldBe((int)ExitCode.UsageError, result.All);
        result.Error.ShouldContain(path);
        result.All.ShouldNotContain("予期しない");
        result.All.ShouldNotContain("Exception");
        result.All.ShouldNotContain("   at ");
    }

    public static TheoryData<string, string[]> EveryJob => new()
    {
        { "import", [CitySample] },
        { "reconcile", [] },
        { "reconcile", ["undo", "1"] },
        { "admin", ["load-members", Path.Combine(AdminProcess.RepositoryRoot, "samples", "city", "members.csv")] },
        { "admin", ["runs"] },
        { "admin", ["runs", "show", "1"] },
        { "admin", ["db", "status"] },
    };

    private static string Dll(string executable) =>
        executable switch { "import" => AdminProcess.ImportDll, "reconcile" => AdminProcess.ReconcileDll, _ => AdminProcess.AdminDll };

    [Theory]
    [MemberData(nameof(EveryJob))]
    public async Task DatabaseFileMissing_Exit64NamingIt_NothingCreated(string executable, string[] args)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var env = database.Environment();
        var typo = Path.Combine(database.Directory, "typo", "nenkn.db");
        env["NENKIN_DB"] = typo;

        var result = await AdminProcess.RunDllAsync(Dll(executable), database.Directory, env, args);

        ShouldBeOperatorError(result, typo);
        result.Error.ShouldContain("nenkin-admin db migrate");
        Directory.Exists(Path.Combine(database.Directory, "typo")).ShouldBeFalse(); // no folder, no database, no key, no lock
        File.Exists(database.KeyFile).ShouldBeFalse();
    }

    [Fact]
    public async Task DbMigrate_MissingFileAndFolders_CreatesThemOwnerOnly_ThenAJobRuns()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var env = database.Environment();
        var fresh = Path.Combine(database.Directory, "out", "city", "nenkin.db");
        env["NENKIN_DB"] = fresh;

        var migrate = await AdminProcess.RunAsync(database.Directory, env, "db", "migrate");
        migrate.ExitCode.ShouldBe(0, migrate.All);
        var import = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, env, CitySample);

        import.ExitCode.ShouldBe(0, import.All);
        File.GetUnixFileMode(fresh).ShouldBe(PrivateFolder.OwnerOnlyFile);
        File.GetUnixFileMode(Path.GetDirectoryName(fresh)!).ShouldBe(PrivateFolder.OwnerOnly);
        File.GetUnixFileMode(Path.Combine(database.Directory, "out")).ShouldBe(PrivateFolder.OwnerOnly);
    }

    [Theory]
    [MemberData(nameof(EveryJob))]
    public async Task DatabaseIsAFolder_Exit64NamingIt(string executable, string[] args)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var env = database.Environment();
        env["NENKIN_DB"] = database.Directory;

        var result = await AdminProcess.RunDllAsync(Dll(executable), database.Directory, env, args);

        ShouldBeOperatorError(result, database.Directory);
        result.Error.ShouldContain("はフォルダーです");
    }

    [Fact]
    public async Task DbMigrate_DatabaseIsAFolder_Exit64NamingIt()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);

        var result = await AdminProcess.RunAsync(database.Directory, database.Environment(), "db", "migrate", "--db", database.Directory);

        ShouldBeOperatorError(result, database.Directory);
        result.Error.ShouldContain("はフォルダーです");
    }

    [Theory]
    [InlineData("import")]
    [InlineData("admin")]
    public async Task DatabaseIsNotSqlite_Exit64NamingIt_FileUntouched(string executable)
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var notes = Path.Combine(database.Directory, "notes.txt");
        await File.WriteAllTextAsync(notes, "これはデータベースではありません");
        var args = executable == "import" ? new[] { "--db", notes, CitySample } : ["db", "migrate", "--db", notes];

        var result = await AdminProcess.RunDllAsync(Dll(executable), database.Directory, database.Environment(), args);

        ShouldBeOperatorError(result, notes);
        result.Error.ShouldContain("SQLite のデータベースではありません");
        (await File.ReadAllTextAsync(notes)).ShouldBe("これはデータベースではありません");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task LogDirIsAFile_Exit64NamingIt_ClaimsNoLog_NothingRun(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = Path.Combine(database.Directory, "logs.txt");
        await File.WriteAllTextAsync(file, "");

        var summary = Path.Combine(database.Directory, "import.json");

        var result = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, database.Environment(), "--log-dir", file, CitySample, "--summary", summary);

        ShouldBeOperatorError(result, file);
        result.Error.ShouldContain("--log-dir");
        result.All.ShouldNotContain("ログファイルにあります");
        result.All.ShouldNotContain("保存されて");
        (await database.CountAsync("batch_run")).ShouldBe(0);
        // Monitoring still learns how it ended.
        using var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(summary));
        json.RootElement.GetProperty("exit_code").GetInt32().ShouldBe((int)ExitCode.UsageError);
        json.RootElement.GetProperty("status").GetString().ShouldBe("FAILED");
        json.RootElement.GetProperty("message").GetString()!.ShouldContain(file);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task ReportDirIsAFile_Exit64NamingIt_NothingRun(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = Path.Combine(database.Directory, "reports.txt");
        await File.WriteAllTextAsync(file, "");
        var env = database.Environment();

        var option = await AdminProcess.RunDllAsync(AdminProcess.ReconcileDll, database.Directory, env, "--report-dir", file);
        env["NENKIN_REPORT_DIR"] = file;
        var setting = await AdminProcess.RunDllAsync(AdminProcess.ReconcileDll, database.Directory, env);

        foreach (var result in new[] { option, setting })
        {
            ShouldBeOperatorError(result, file);
            result.Error.ShouldContain("--report-dir、設定 reportDir、環境変数 NENKIN_REPORT_DIR");
        }
        (await database.CountAsync("batch_run")).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task SummaryIntoMissingFolder_Exit64NamingIt_NothingRunNothingCreated(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var folder = Path.Combine(database.Directory, "monitoring", "nightly");

        var result = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, database.Environment(), CitySample, "--summary", Path.Combine(folder, "import.json"));

        ShouldBeOperatorError(result, folder);
        result.Error.ShouldContain("--summary");
        Directory.Exists(Path.Combine(database.Directory, "monitoring")).ShouldBeFalse();
        (await database.CountAsync("batch_run")).ShouldBe(0);
    }

    [Fact]
    public async Task ReadOnlyDatabase_Exit64NamingIt()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var logs = OpenFolder(database.Directory, "open-logs");
        File.SetUnixFileMode(database.Directory, PrivateFolder.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var path = Path.Combine(database.Directory, "nenkin.db");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var env = database.Environment();
        env["NENKIN_LOG_DIR"] = logs;

        var result = await AdminProcess.RunThroughAsync(AdminProcess.Unprivileged, AdminProcess.ImportDll, logs, env, CitySample);

        ShouldBeOperatorError(result, path);
        result.Error.ShouldContain("書き込めません");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task ReadOnlyLogFolder_Exit64NamingIt_ClaimsNoLog(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var logs = Path.Combine(database.Directory, "logs");
        Directory.CreateDirectory(logs);
        var readOnly = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(logs, readOnly);
        File.SetUnixFileMode(database.Directory, readOnly | UnixFileMode.UserWrite);

        var result = await AdminProcess.RunThroughAsync(AdminProcess.Unprivileged, AdminProcess.ImportDll, logs, database.Environment(), CitySample);

        ShouldBeOperatorError(result, logs);
        result.Error.ShouldContain("--log-dir、設定 logDir、環境変数 NENKIN_LOG_DIR");
        result.All.ShouldNotContain("ログファイルにあります");
        Directory.GetFiles(logs).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task KeyFileIsAFolder_Exit64NamingIt_NothingRun(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var env = database.Environment();
        env["NENKIN_KEY_FILE"] = database.Directory;

        var result = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, env, CitySample);

        ShouldBeOperatorError(result, database.Directory);
        result.Error.ShouldContain("設定 keyFile、環境変数 NENKIN_KEY_FILE");
        (await database.CountAsync("batch_run")).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task CodeTablesMissing_Exit64NamingIt_NothingRun(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var env = database.Environment();
        var missing = Path.Combine(database.Directory, "codes.json");
        env["NENKIN_CODE_TABLES"] = missing;

        var result = await AdminProcess.RunDllAsync(AdminProcess.ReconcileDll, database.Directory, env);

        ShouldBeOperatorError(result, missing);
        result.Error.ShouldContain("設定 codeTables、環境変数 NENKIN_CODE_TABLES");
        (await database.CountAsync("batch_run")).ShouldBe(0);
    }

    [Fact]
    public async Task Generate_OutIsAFile_Exit64NamingIt()
    {
        var directory = TestDatabase.CreateDirectory();
        try
        {
            var file = Path.Combine(directory, "city");
            await File.WriteAllTextAsync(file, "");

            var result = await AdminProcess.RunAsync(directory, new Dictionary<string, string>(), "generate", "--people", "3", "--out", file);

            ShouldBeOperatorError(result, file);
            result.Error.ShouldContain("--out にはフォルダーのパスを指定してください");
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [Fact]
    public async Task ReadOnlyDatabaseFolder_Exit64NamingIt()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var logs = OpenFolder(database.Directory, "open-logs");
        // The file may be written, its folder not: SQLite could not make its -wal file, nor the job its lock.
        File.SetUnixFileMode(Path.Combine(database.Directory, "nenkin.db"), (UnixFileMode)0b110_110_110);
        File.SetUnixFileMode(database.Directory, PrivateFolder.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var env = database.Environment();
        env["NENKIN_LOG_DIR"] = logs;

        var result = await AdminProcess.RunThroughAsync(AdminProcess.Unprivileged, AdminProcess.ImportDll, logs, env, CitySample);

        ShouldBeOperatorError(result, $"データベースのフォルダー {database.Directory} に書き込めません");
    }

    [Fact]
    public async Task WalLeftByAnotherAccount_Exit64NamingIt()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var logs = OpenFolder(database.Directory, "open-logs");
        var path = Path.Combine(database.Directory, "nenkin.db");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
        File.SetUnixFileMode(database.Directory, (UnixFileMode)0b111_111_111);
        // What a run as root leaves when it is killed: the database's working files, writable by root only.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Exists(path + "-wal").ShouldBeFalse();
        await File.WriteAllBytesAsync(path + "-shm", new byte[32768]);
        File.SetUnixFileMode(path + "-shm", UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var env = database.Environment();
        env["NENKIN_LOG_DIR"] = logs;

        var result = await AdminProcess.RunThroughAsync(AdminProcess.Unprivileged, AdminProcess.ImportDll, logs, env, CitySample);

        ShouldBeOperatorError(result, $"データベースの作業ファイル {path}-shm に書き込めません");
    }

    [Fact]
    public async Task SummaryIntoReadOnlyFolder_Exit64NamingIt_NothingRun()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var logs = OpenFolder(database.Directory, "open-logs");
        var monitoring = Path.Combine(database.Directory, "monitoring");
        Directory.CreateDirectory(monitoring);
        File.SetUnixFileMode(monitoring, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(Path.Combine(database.Directory, "nenkin.db"), (UnixFileMode)0b110_110_110);
        File.SetUnixFileMode(database.Directory, (UnixFileMode)0b111_111_111);
        var env = database.Environment();
        env["NENKIN_LOG_DIR"] = logs;

        var result = await AdminProcess.RunThroughAsync(AdminProcess.Unprivileged, AdminProcess.ImportDll, logs, env, CitySample, "--summary", Path.Combine(monitoring, "import.json"));

        ShouldBeOperatorError(result, $"--summary のフォルダー {monitoring} に書き込めません");
        (await database.CountAsync("batch_run")).ShouldBe(0);
    }

    /// <summary>A folder anyone may write, for the log of an executable run as another account.</summary>
    private static string OpenFolder(string parent, string name)
    {
        var path = Path.Combine(parent, name);
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_111_111);
        return path;
    }
}
