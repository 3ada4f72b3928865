using System.Diagnostics;
using System.Globalization;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Jobs.Reconcile;
using NenkinBatch.Persistence;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Jobs.Import;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>A generated city small enough to apply in a few seconds, with every kind of safe change and double filings.</summary>
public sealed class ApplyCity : IDisposable
{
    public ApplyCity()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("nenkin-apply-city-").FullName;
        new CityGenerator(new CityOptions { People = 4_000, Seed = 7, JpsRows = 1_500, JukiChanges = 10 }).Generate(Directory);
    }

    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>
/// Real <c>nenkin-reconcile --apply</c> processes, killed (SIGKILL) at five random points — while deciding, while the plan
/// is kept, between and inside the chunks that apply it — and rerun each time: the end is what one uninterrupted run
/// leaves, to the row: the business tables, the audit rows, the report, and a report folder without leftovers.
/// </summary>
public class ReconcileApplyKillTests(ApplyCity city) : IClassFixture<ApplyCity>
{
    private const int ChunkSize = 10;
    private const int Kills = 5;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Apply_KilledAtFiveRandomPoints_EachTimeRerun_EndsAsOneUninterruptedRun(string kind)
    {
        await using var reference = await PreparedAsync(kind, keyFile: null);
        var uninterrupted = await AdminProcess.RunDllAsync(AdminProcess.ReconcileDll, reference.Directory, reference.Environment(chunkSize: ChunkSize), "--apply");
        uninterrupted.ExitCode.ShouldBe(0, uninterrupted.All);
        var referencePlan = long.Parse((await reference.RowsAsync("SELECT run_id FROM reconcile_plan")).ShouldHaveSingleItem(), CultureInfo.InvariantCulture);
        var chunks = int.Parse((await reference.RowsAsync("SELECT chunk_count FROM reconcile_plan")).Single(), CultureInfo.InvariantCulture);
        chunks.ShouldBeGreaterThan(20);

        await using var database = await PreparedAsync(kind, keyFile: reference.KeyFile);
        var env = database.Environment(chunkSize: ChunkSize);
        var registry = new RunRegistry(database.Store, TimeProvider.System);
        // Progress as one number over the whole run: plan begun, each chunk kept, plan ready, each chunk applied.
        var last = 2 * chunks + 2;
        var random = new Random(kind.Length * 104_729);
        // Points with a few chunks still to go after them, so that a kill lands while the run is working, not after it ended.
        var points = Enumerable.Range(0, Kills).Select(_ => random.Next(0, last - 8)).Order().ToList();
        var killed = 0;
        foreach (var point in points)
        {
            var previous = long.Parse((await database.RowsAsync("SELECT max(run_id) FROM batch_run")).Single(), CultureInfo.InvariantCulture);
            using var running = AdminProcess.StartDll(AdminProcess.ReconcileDll, database.Directory, env, "--apply");
            var output = running.StandardOutput.ReadToEndAsync();
            var error = running.StandardError.ReadToEndAsync();
            if (await WaitForProgressAsync(registry, running, previous, point, chunks))
            {
                // Somewhere after the point: between two chunks or inside one.
                await Task.Delay(random.Next(0, 5));
                running.Kill(entireProcessTree: true);
                killed++;
            }
            await running.WaitForExitAsync();
            PrivacyGuard.LeakedIn(await output + await error).ShouldBeEmpty();
        }
        killed.ShouldBeGreaterThanOrEqualTo(3, "most kills land while the run is still working");

        var rerun = await AdminProcess.RunDllAsync(AdminProcess.ReconcileDll, database.Directory, env, "--apply");
        rerun.ExitCode.ShouldBe(0, rerun.All);
        var plan = long.Parse((await database.RowsAsync("SELECT run_id FROM reconcile_plan WHERE state = 'DONE'")).ShouldHaveSingleItem(), CultureInfo.InvariantCulture);
        (await database.CountAsync("reconcile_plan_chunk")).ShouldBe(0);

        foreach (var sql in ContentQueries)
        {
            var (actual, expected) = (await database.RowsAsync(string.Format(CultureInfo.InvariantCulture, sql, plan)),
                await reference.RowsAsync(string.Format(CultureInfo.InvariantCulture, sql, referencePlan)));
            actual.Count.ShouldBe(expected.Count, sql);
            actual.ShouldBe(expected, sql);
        }
        // The report: the one an uninterrupted run writes (its 実行番号 is the planning run's), and nothing else in the folder.
        Directory.GetFiles(database.ReportDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe([$"reconcile-{plan}.csv", $"reconcile-{plan}.xlsx"]);
        WithoutRunNumber(Path.Combine(database.ReportDirectory, $"reconcile-{plan}.csv"))
            .ShouldBe(WithoutRunNumber(Path.Combine(reference.ReportDirectory, $"reconcile-{referencePlan}.csv")));

        // Nothing is left to apply, and undo of the run that finished the plan reverts the whole plan.
        var again = await AdminProcess.RunDllAsync(AdminProcess.ReconcileDll, database.Directory, env, "--apply");
        again.ExitCode.ShouldBe(0, again.All);
        again.Out.ShouldContain("適用していない一覧表はありません");
        var finishedBy = (await database.RowsAsync("SELECT completed_by_run_id FROM reconcile_plan")).Single();
        var undo = await AdminProcess.RunDllAsync(AdminProcess.ReconcileDll, database.Directory, env, "undo", finishedBy);
        undo.ExitCode.ShouldBe(0, undo.All);
        (await database.CountAsync("audit_log", "job = 'reconcile-undo'")).ShouldBe(await database.CountAsync("audit_log", "job = 'reconcile'"));
        (await database.CountAsync("jps_filing_processed")).ShouldBe(0);
    }

    /// <summary>A migrated store with the city loaded and its list imported (the reference gets its own key; the other shares it).</summary>
    private async Task<TestDatabase> PreparedAsync(string kind, string? keyFile)
    {
        var database = await TestDatabase.CreateMigratedAsync(kind);
        if (keyFile is not null) File.Copy(keyFile, database.KeyFile);
        (await InProcess.RunAsync(new LoadMembersJob(Path.Combine(city.Directory, CityFiles.MembersFile)), database.Settings())).ExitCode.ShouldBe(0);
        var (import, _) = await ImportJobTests.ImportAsync(database, new ImportOptions { Files = [Path.Combine(city.Directory, CityFiles.JpsCsvFile)] });
        import.ExitCode.ShouldBe(0, import.Error);
        return database;
    }

    /// <summary>
    /// Everything --apply changes or records, with the planning run's number written as R: the run that planned may be
    /// another number after a kill while deciding, and the comparison is of what was done, not of which attempt did it.
    /// </summary>
    private static readonly string[] ContentQueries =
    [
        "SELECT atena_number, basic_pension_number, CASE updated_run_id WHEN {0} THEN 'R' ELSE CAST(updated_run_id AS text) END FROM person ORDER BY atena_number",
        "SELECT atena_number, acquired_on, insured_category, acquisition_reason, lost_on, loss_reason, CASE updated_run_id WHEN {0} THEN 'R' ELSE CAST(updated_run_id AS text) END FROM qualification ORDER BY atena_number, acquired_on",
        "SELECT file_id, line_number, atena_number, filing_code, received_on, processed_on, CASE recorded_run_id WHEN {0} THEN 'R' ELSE 'other' END FROM jps_filing_processed ORDER BY file_id, line_number",
        "SELECT file_id, CASE reported_run_id WHEN {0} THEN 'R' ELSE 'other' END, CASE applied_run_id WHEN {0} THEN 'R' ELSE 'other' END FROM jps_result_reconciled ORDER BY file_id",
        "SELECT CASE run_id WHEN {0} THEN 'R' ELSE 'other' END, job, table_name, record_key, action, REPLACE(COALESCE(before_data, ''), '\"updated_run_id\":{0}', 'R'), REPLACE(after_data, '\"updated_run_id\":{0}', 'R'), individual_number_accessed FROM audit_log ORDER BY audit_id",
    ];

    private static List<string> WithoutRunNumber(string csv) => File.ReadAllLines(csv).Skip(1).Select(line => line[(line.IndexOf(',', StringComparison.Ordinal) + 1)..]).ToList();

    /// <summary>Waits until the running --apply has passed the given point; false when it ended first.</summary>
    private static async Task<bool> WaitForProgressAsync(RunRegistry registry, Process process, long previousRun, int point, int chunks)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (process.HasExited) return false;
            var run = await registry.RunningAsync(TestDatabase.Municipality, ReconcileJob.JobName, default);
            // Its own run, not the one the previous kill left STARTED (the new process marks that one failed once it holds the lock).
            if (run is { } current && current.RunId > previousRun && current.Checkpoint is { } checkpoint && Progress(checkpoint, chunks) >= point) return true;
            await Task.Delay(2);
        }
        throw new TimeoutException($"the run did not reach point {point} within two minutes");
    }

    private static int Progress(string checkpoint, int chunks) => checkpoint switch
    {
        "plan" => 0,
        "plan:ready" => chunks + 1,
        "done" => 2 * chunks + 2,
        _ when checkpoint.StartsWith("plan:", StringComparison.Ordinal) => 1 + int.Parse(checkpoint.AsSpan(5), CultureInfo.InvariantCulture),
        _ when checkpoint.StartsWith("apply:", StringComparison.Ordinal) => chunks + 1 + int.Parse(checkpoint.AsSpan(6), CultureInfo.InvariantCulture),
        _ => -1,
    };
}
