using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using NenkinBatch.Tests.Jobs.JukiSync;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>
/// Erasure that is erasure: people who left the city long ago, with their 住基 history (addresses, former names), 個人番号 and audit
/// rows, are planned and executed through the real executables; afterwards neither the SQLite file's bytes (the .db and any -wal) nor
/// a pg_dump of the schema holds any erased person's name, 宛名番号 or 個人番号, while the people kept are still there.
/// </summary>
public class PurgeErasureTests
{
    private const int People = 40;

    private static string Name(int n, bool erased) => $"{(erased ? "削除" : "保存")}{n:D3}号";
    private static string FormerName(int n) => $"旧姓{n:D3}号";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Execute_PeoplePastRetention_LeaveNoTraceInTheDatabaseFilesOrDump(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var env = database.Environment(chunkSize: 7);
        var rows = new JukiRows();
        var numbers = new Dictionary<int, string>();
        for (var n = 1; n <= People; n++)
        {
            var erased = n % 2 == 1;
            var number = MemberFile.IndividualNumberFor(90_000 + n);
            PrivacyGuard.Remember(number);
            numbers[n] = number;
            rows.Row(n, 1, "10", ("name", FormerName(n)), ("changed_on", "20050401"), ("processed_on", "20050402"), ("individual_number", number),
                ("address", $"千葉県千葉市中央区中央{n % 9 + 1}丁目{n}番{n}号"));
            rows.Row(n, 2, "31", ("name", Name(n, erased)), ("changed_on", "20070501"), ("processed_on", "20070502"), ("individual_number", number),
                ("address", $"千葉県千葉市中央区中央{n % 9 + 1}丁目{n}番{n}号"));
            if (erased)
                rows.Row(n, 3, "21", ("name", Name(n, erased)), ("changed_on", "20100301"), ("processed_on", "20100302"), ("removed_on", "20100301"),
                    ("individual_number", number), ("address", $"千葉県千葉市美浜区幸町{n % 2 + 1}丁目{n}番{n}号"));
        }
        var history = rows.Write(Path.Combine(database.Directory, "juki-history.csv"));
        var sync = await AdminProcess.RunDllAsync(AdminProcess.JukiSyncDll, database.Directory, env, history);
        sync.ExitCode.ShouldBeOneOf([0, 10], sync.All);

        var plan = await AdminProcess.RunDllAsync(AdminProcess.PurgeDll, database.Directory, env, "plan");
        plan.ExitCode.ShouldBe(0, plan.All);
        var command = plan.Out.Trim().Split('\n')[^1].Trim();
        command.ShouldBe($"nenkin-purge execute 1 --confirm-count {People / 2} --over-cap");
        var report = await File.ReadAllTextAsync(Path.Combine(database.ReportDirectory, "purge-plan-1.csv"));
        report.ShouldContain(Name(1, erased: true));
        report.ShouldNotContain(numbers[1]);

        var execute = await AdminProcess.RunDllAsync(AdminProcess.PurgeDll, database.Directory, env, [.. command.Split(' ').Skip(1)]);
        execute.ExitCode.ShouldBe(0, execute.All);
        (await database.CountAsync("person")).ShouldBe(People / 2);
        (await database.CountAsync("purge_log")).ShouldBe(People / 2);
        (await database.CountAsync("audit_log", "table_name = 'erased'")).ShouldBeGreaterThan(0);

        var bytes = kind == TestDatabase.Sqlite ? SqliteBytes(database) : Encoding.UTF8.GetBytes(await PgDumpAsync(database));
        for (var n = 1; n <= People; n++)
        {
            var erased = n % 2 == 1;
            var traces = new[] { Name(n, erased), FormerName(n), JukiRows.Atena(n) };
            foreach (var trace in traces)
            {
                var found = Contains(bytes, Encoding.UTF8.GetBytes(trace));
                if (erased) found.ShouldBeFalse($"{trace} of an erased person is still in the {(kind == TestDatabase.Sqlite ? "database file" : "dump")}");
                else found.ShouldBeTrue($"{trace} of a person kept is missing: the search would not find anything");
            }
            // 個人番号 are sealed, never in clear: neither erased nor kept ones may be found.
            Contains(bytes, Encoding.ASCII.GetBytes(numbers[n])).ShouldBeFalse();
        }
        foreach (var file in Directory.GetFiles(database.ReportDirectory))
            (await File.ReadAllTextAsync(file)).ShouldNotContain(Name(1, erased: true), customMessage: file);

        var asked = await AdminProcess.RunDllAsync(AdminProcess.PurgeDll, database.Directory, env, "was-erased", "person", JukiRows.Atena(1));
        asked.Out.ShouldContain("に消去（削除計画 1");
        var kept = await AdminProcess.RunDllAsync(AdminProcess.PurgeDll, database.Directory, env, "was-erased", "person", JukiRows.Atena(2));
        kept.Out.ShouldContain("消去の記録はありません");
    }

    /// <summary>The database file and its WAL as they are on disk (no connection of this process open).</summary>
    private static byte[] SqliteBytes(TestDatabase database)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var path = database.Database;
        var parts = new List<byte>(File.ReadAllBytes(path));
        if (File.Exists(path + "-wal")) parts.AddRange(File.ReadAllBytes(path + "-wal"));
        return [.. parts];
    }

    private static async Task<string> PgDumpAsync(TestDatabase database)
    {
        var builder = new NpgsqlConnectionStringBuilder(TestDatabase.PostgresServer);
        var pgDump = Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))
            .Select(d => Path.Combine(d, "bin", "pg_dump")).First(File.Exists);
        var info = new ProcessStartInfo(pgDump) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var arg in new[] { "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username!, "-n", database.Schema!, builder.Database! })
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, await error);
        return await output;
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
