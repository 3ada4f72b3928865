using System.Diagnostics;
using System.Globalization;
using System.Text;
using NenkinBatch.Domain;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Purge;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>A members file of 100,000 people who all left the city in 2012, 資格 closed then, every third with a 個人番号.</summary>
public sealed class LongGoneCity : IDisposable
{
    public const int People = 100_000;

    public LongGoneCity()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("nenkin-purge-city-").FullName;
        Path = System.IO.Path.Combine(Directory, "members.csv");
        using var writer = new StreamWriter(Path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write(MemberFile.Header + "\r\n");
        for (var i = 0; i < People; i++)
        {
            var atena = AtenaNumber.WithCheckDigit((400000000 + i).ToString("D9", CultureInfo.InvariantCulture));
            var number = i % 3 == 0 ? MemberFile.IndividualNumberFor(500_000 + i) : "";
            if (number.Length > 0) PrivacyGuard.Remember(number);
            writer.Write($"{atena},,転出　{i},テンシュツ タロウ,19500101,1,2600013,千葉県千葉市中央区中央1丁目{i % 30 + 1}番{i % 20 + 1}号,,2,20120401,1,19700101,01,20120402,12,{number}\r\n");
        }
    }

    public string Directory { get; }
    public string Path { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>
/// Real <c>nenkin-purge execute</c> processes on a plan of 100,000 people, killed (SIGKILL) at five random points and rerun each time
/// with the same command: the end is the database one uninterrupted execute leaves — people, numbers, 資格, audit rows stripped, item
/// outcomes — and the purge log holds each item exactly once.
/// </summary>
public class PurgeKillTests(LongGoneCity city) : IClassFixture<LongGoneCity>
{
    private const int ChunkSize = 2_000;
    private const int Kills = 5;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Execute_KilledAtFiveRandomPoints_EachTimeRerun_EndsAsOneUninterruptedRun(string kind)
    {
        await using var reference = await TestDatabase.CreateMigratedAsync(kind);
        var referenceEnv = reference.Environment(chunkSize: ChunkSize);
        await LoadAndPlanAsync(reference, referenceEnv);
        var uninterrupted = await AdminProcess.RunDllAsync(AdminProcess.PurgeDll, reference.Directory, referenceEnv, Execute);
        uninterrupted.ExitCode.ShouldBe(0, uninterrupted.All);
        (await reference.CountAsync("person")).ShouldBe(0);

        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        File.Copy(reference.KeyFile, database.KeyFile);
        var env = database.Environment(chunkSize: ChunkSize);
        await LoadAndPlanAsync(database, env);
        var registry = new RunRegistry(database.Store, TimeProvider.System);
        var random = new Random(kind.Length * 7_919);
        var points = Enumerable.Range(0, Kills).Select(_ => random.Next(1, LongGoneCity.People - 10 * ChunkSize)).Order().ToList();
        var killed = 0;
        foreach (var point in points)
        {
            var previous = long.Parse((await database.RowsAsync("SELECT COALESCE(max(run_id), 0) FROM batch_run")).Single(), CultureInfo.InvariantCulture);
            using var running = AdminProcess.StartDll(AdminProcess.PurgeDll, database.Directory, env, Execute);
            var output = running.StandardOutput.ReadToEndAsync();
            var error = running.StandardError.ReadToEndAsync();
            if (await WaitForItemAsync(registry, running, previous, point))
            {
                await Task.Delay(random.Next(0, 20));
                running.Kill(entireProcessTree: true);
                killed++;
            }
            await running.WaitForExitAsync();
            PrivacyGuard.LeakedIn(await output + await error).ShouldBeEmpty();
        }
        killed.ShouldBeGreaterThanOrEqualTo(3, "most kills land while the run is still working");

        var rerun = await AdminProcess.RunDllAsync(AdminProcess.PurgeDll, database.Directory, env, Execute);
        rerun.ExitCode.ShouldBe(0, rerun.All);
        foreach (var query in new[]
                 {
                     "SELECT count(*) FROM person",
                     "SELECT count(*) FROM person_individual_number",
                     "SELECT count(*) FROM qualification",
                     "SELECT seq, kind, record_key, event_date, outcome, reason FROM purge_plan_item ORDER BY seq",
                     "SELECT item_seq, kind, key_digest, rule, event_date, period_years FROM purge_log ORDER BY item_seq",
                     "SELECT audit_id, table_name, record_key, before_data, after_data FROM audit_log WHERE job = 'load-members' ORDER BY audit_id",
                     "SELECT status, item_count FROM purge_plan",
                 })
            (await database.RowsAsync(query)).ShouldBe(await reference.RowsAsync(query), query);
        (await database.RowsAsync("SELECT count(*), count(DISTINCT item_seq) FROM purge_log")).ShouldBe([$"{LongGoneCity.People}|{LongGoneCity.People}"]);
    }

    private static readonly string[] Execute = ["execute", "1", "--confirm-count", LongGoneCity.People.ToString(CultureInfo.InvariantCulture), "--over-cap"];

    private async Task LoadAndPlanAsync(TestDatabase database, Dictionary<string, string> env)
    {
        var load = await AdminProcess.RunAsync(database.Directory, env, "load-members", city.Path);
        load.ExitCode.ShouldBe(0, load.All);
        var plan = await AdminProcess.RunDllAsync(AdminProcess.PurgeDll, database.Directory, env, "plan", "--as-of", "2026-10-01");
        plan.ExitCode.ShouldBe(0, plan.All);
        plan.Out.ShouldEndWith(string.Join(' ', ["nenkin-purge", .. Execute]) + "\n");
    }

    /// <summary>Waits until the running execute has committed past the given item; false when it ended first.</summary>
    private static async Task<bool> WaitForItemAsync(RunRegistry registry, Process process, long previousRun, int item)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (process.HasExited) return false;
            var run = await registry.RunningAsync(TestDatabase.Municipality, PurgeStore.JobName, default);
            if (run is { } current && current.RunId > previousRun && current.Checkpoint is { } checkpoint
                && checkpoint.LastIndexOf(':') is var colon and > 0
                && long.TryParse(checkpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var committed) && committed >= item)
                return true;
            await Task.Delay(2);
        }
        throw new TimeoutException($"the run did not reach item {item} within three minutes");
    }
}
