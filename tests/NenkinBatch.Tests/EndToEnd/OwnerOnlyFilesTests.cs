using NenkinBatch.Foundation;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>
/// Reports, workbooks, logs, rejected-row lists and the database hold names, birth dates and pension numbers: whatever
/// the umask of whoever starts the executables, what they create is the owner's only.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class OwnerOnlyFilesTests
{
    private static string Sample(string path) => Path.Combine(AdminProcess.RepositoryRoot, "samples", path);

    private const UnixFileMode GroupAndOthers = (UnixFileMode)0b000_111_111;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task UnderUmask000_EveryFileIs0600_EveryFolder0700(string kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var root = Path.Combine(database.Directory, "out");
        var env = database.Environment();
        env["NENKIN_LOG_DIR"] = Path.Combine(root, "logs");
        env["NENKIN_REPORT_DIR"] = Path.Combine(root, "reports");
        env["NENKIN_KEY_FILE"] = Path.Combine(root, "key", "number.key");
        if (kind == TestDatabase.Sqlite) env["NENKIN_DB"] = Path.Combine(root, "db", "nenkin.db");
        var shell = AdminProcess.WithUmask("000");

        var results = new[]
        {
            await AdminProcess.RunThroughAsync(shell, AdminProcess.AdminDll, database.Directory, env, "db", "migrate"),
            await AdminProcess.RunThroughAsync(shell, AdminProcess.AdminDll, database.Directory, env, "load-members", Sample("city/members.csv")),
            await AdminProcess.RunThroughAsync(shell, AdminProcess.ImportDll, database.Directory, env, Sample("city/jps-result.csv"), Sample("broken/bad-dates.csv")),
            await AdminProcess.RunThroughAsync(shell, AdminProcess.ReconcileDll, database.Directory, env, "--summary", Path.Combine(root, "reconcile.json")),
        };

        results.Select(r => r.ExitCode).ShouldBe([0, 0, (int)ExitCode.CompletedWithRowErrors, 0], string.Join("\n", results.Select(r => r.All)));
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories);
        files.Select(Path.GetFileName).ShouldContain(f => f!.StartsWith("import-rejected-", StringComparison.Ordinal));
        // Every kind of file the jobs write: logs, rejected rows and reports, the workbook, the summary, the key, and on SQLite the database and its locks.
        string[] kinds = kind == TestDatabase.Sqlite ? [".log", ".jsonl", ".csv", ".xlsx", ".json", ".key", ".db", ".lock"] : [".log", ".jsonl", ".csv", ".xlsx", ".json", ".key"];
        kinds.ShouldBeSubsetOf(files.Select(Path.GetExtension).Distinct());
        files.Where(f => (File.GetUnixFileMode(f) & GroupAndOthers) != 0).Select(f => $"{f} {File.GetUnixFileMode(f)}").ShouldBeEmpty();
        Directory.GetDirectories(root, "*", SearchOption.AllDirectories).Append(root)
            .Where(d => File.GetUnixFileMode(d) != PrivateFolder.OwnerOnly).Select(d => $"{d} {File.GetUnixFileMode(d)}").ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task ExistingFolderOpenToOthers_KeptAsItIs_AndNamedInAWarning(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var shared = Path.Combine(database.Directory, "shared-logs");
        Directory.CreateDirectory(shared);
        var wide = PrivateFolder.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(shared, wide);
        var env = database.Environment();
        env["NENKIN_LOG_DIR"] = shared;

        var result = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, env, Sample("city/jps-result.csv"));

        result.ExitCode.ShouldBe(0, result.All);
        result.Error.ShouldContain($"{shared} は他の利用者も読める権限（0755）です。個人情報を含むため、所有者だけにしてください（例: chmod 700 {shared}）。");
        File.GetUnixFileMode(shared).ShouldBe(wide);
        Directory.GetFiles(shared).Where(f => (File.GetUnixFileMode(f) & GroupAndOthers) != 0).ShouldBeEmpty();
    }
}
