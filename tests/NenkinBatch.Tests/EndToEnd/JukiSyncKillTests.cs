using System.Diagnostics;
using System.Globalization;
using NenkinBatch.Jobs.JukiSync;
using NenkinBatch.Persistence;
using NenkinBatch.Tests.Jobs.JukiSync;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>A 200,000-row 住基 delta: people arriving, moving, marrying, rows out of order, duplicates, gaps, 取消し and 個人番号.</summary>
public sealed class BigDelta : IDisposable
{
    public const int Rows = 200_000;

    public BigDelta()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("nenkin-juki-delta-").FullName;
        Path = JukiRows.Write(System.IO.Path.Combine(Directory, "juki-delta.csv"), Generate().Take(Rows));
    }

    public string Directory { get; }
    public string Path { get; }

    private static IEnumerable<Dictionary<string, string>> Generate()
    {
        for (var person = 1; ; person++)
        {
            var number = person % 3 == 0 ? MemberFile.IndividualNumberFor(person) : "";
            (string, string)[] Base(string address, string name) =>
                [("address", address), ("name", name), ("individual_number", number), ("birth_date", $"19{50 + person % 50:D2}0{1 + person % 9}15")];
            var home = $"千葉県千葉市中央区中央{1 + person % 4}丁目{1 + person % 30}番{1 + person % 20}号";
            var moved = $"千葉県千葉市美浜区幸町{1 + person % 2}丁目{1 + person % 25}番{1 + person % 15}号";
            var rows = new List<Dictionary<string, string>>
            {
                JukiRows.Snapshot(person, 1, "10", [.. Base(home, $"試験　太郎{person}"), ("changed_on", "20260901")]),
                JukiRows.Snapshot(person, 2, "30", [.. Base(moved, $"試験　太郎{person}"), ("changed_on", "20260915")]),
                person % 7 == 0
                    ? JukiRows.Snapshot(person, 3, "39", [.. Base(home, $"試験　太郎{person}"), ("changed_on", "20260915")])
                    : JukiRows.Snapshot(person, 3, "31", [.. Base(moved, $"結婚　花子{person}"), ("changed_on", "20260801")]),
            };
            if (person % 11 == 0) rows.RemoveAt(1);     // a gap: 3 waits for a 2 that never comes
            if (person % 5 == 0) rows.Reverse();        // out of order within the file
            if (person % 13 == 0) rows.Add(rows[0]);    // an exact duplicate
            foreach (var row in rows) yield return row;
        }
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>
/// Real <c>nenkin-juki-sync</c> processes on a 200,000-row delta, killed (SIGKILL) at five random points and rerun each time:
/// the end is the database one uninterrupted run leaves — people, 個人番号, changes, histories, waiting rows, follow-ups, audit,
/// indexes. The database starts empty, so the uninterrupted run and the first of the killed ones are first loads (people met
/// first decided while reading, secondary indexes built at the end) and the reruns are not: both paths end alike.
/// </summary>
public class JukiSyncKillTests(BigDelta delta) : IClassFixture<BigDelta>
{
    private const int ChunkSize = 2_000;
    private const int Kills = 5;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Sync_KilledAtFiveRandomPoints_EachTimeRerun_EndsAsOneUninterruptedRun(string kind)
    {
        await using var reference = await TestDatabase.CreateMigratedAsync(kind);
        var uninterrupted = await AdminProcess.RunDllAsync(AdminProcess.JukiSyncDll, reference.Directory, reference.Environment(chunkSize: ChunkSize), delta.Path);
        uninterrupted.ExitCode.ShouldBe(0, uninterrupted.All);
        (await reference.CountAsync("juki_pending")).ShouldBeGreaterThan(1000);

        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        File.Copy(reference.KeyFile, database.KeyFile);
        var env = database.Environment(chunkSize: ChunkSize);
        var registry = new RunRegistry(database.Store, TimeProvider.System);
        var random = new Random(kind.Length * 7_919);
        var points = Enumerable.Range(0, Kills).Select(_ => random.Next(1, BigDelta.Rows - 20 * ChunkSize)).Order().ToList();
        var killed = 0;
        foreach (var point in points)
        {
            var previous = long.Parse((await database.RowsAsync("SELECT COALESCE(max(run_id), 0) FROM batch_run")).Single(), CultureInfo.InvariantCulture);
            using var running = AdminProcess.StartDll(AdminProcess.JukiSyncDll, database.Directory, env, delta.Path);
            var output = running.StandardOutput.ReadToEndAsync();
            var error = running.StandardError.ReadToEndAsync();
            if (await WaitForLineAsync(registry, running, previous, point))
            {
                await Task.Delay(random.Next(0, 20));
                running.Kill(entireProcessTree: true);
                killed++;
            }
            await running.WaitForExitAsync();
            PrivacyGuard.LeakedIn(await output + await error).ShouldBeEmpty();
        }
        killed.ShouldBeGreaterThanOrEqualTo(3, "most kills land while the run is still working");

        var rerun = await AdminProcess.RunDllAsync(AdminProcess.JukiSyncDll, database.Directory, env, delta.Path);
        rerun.ExitCode.ShouldBe(0, rerun.All);
        (await JukiSyncJobTests.StateAsync(database)).ShouldBe(await JukiSyncJobTests.StateAsync(reference));
        const string audit = "SELECT table_name, record_key, action, before_data, after_data, individual_number_accessed FROM audit_log WHERE job = 'juki-sync' ORDER BY record_key, audit_id";
        (await database.RowsAsync(audit)).ShouldBe(await reference.RowsAsync(audit));
        (await database.RowsAsync("SELECT file_name, newest_processed_on, completed_run_id IS NOT NULL FROM juki_file"))
            .ShouldBe(await reference.RowsAsync("SELECT file_name, newest_processed_on, completed_run_id IS NOT NULL FROM juki_file"));
        // The first run was a first load that dropped the people's secondary indexes; the reruns built them back.
        (await FirstLoadTests.DefinitionsAsync(database)).ShouldBe(await FirstLoadTests.DefinitionsAsync(reference));
        (await FirstLoadTests.DefinitionsAsync(database)).Count.ShouldBe(2);
    }

    /// <summary>Waits until the running sync has committed past the given line; false when it ended first.</summary>
    private static async Task<bool> WaitForLineAsync(RunRegistry registry, Process process, long previousRun, int line)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (process.HasExited) return false;
            var run = await registry.RunningAsync(TestDatabase.Municipality, JukiSyncJob.JobName, default);
            if (run is { } current && current.RunId > previousRun && current.Checkpoint is { } checkpoint
                && checkpoint.LastIndexOf(':') is var colon and > 0
                && long.TryParse(checkpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var committed) && committed >= line)
                return true;
            await Task.Delay(2);
        }
        throw new TimeoutException($"the run did not reach line {line} within three minutes");
    }
}
