using System.Diagnostics;
using NenkinBatch.Foundation;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Persistence;
using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>
/// Real processes, really killed: a second instance is turned away while the first runs, a kill
/// at a random point leaves a STARTED run, and reruns end with exactly what one uninterrupted load stores.
/// </summary>
public class KillAndRerunTests
{
    private const int Rows = 40_000;
    private const int ChunkSize = 250;

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task LoadMembers_KilledAtRandomPoints_SecondInstanceRefused_RerunsEndAsOneUninterruptedLoad(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = MemberFile.Synthetic(Rows).Write(Path.Combine(database.Directory, "members.csv"));
        var env = database.Environment(chunkSize: ChunkSize);
        var registry = new RunRegistry(database.Store, TimeProvider.System);
        var random = new Random(kind.Length * 7919);
        long lastKilledAt = 0;

        for (var kill = 0; kill < 3; kill++)
        {
            // Each kill lands further in: after the checkpoint passes a random line beyond the previous kill.
            var target = lastKilledAt + random.Next(ChunkSize, Rows / 5);
            using var running = AdminProcess.Start(database.Directory, env, "load-members", file);
            var run = await WaitForCheckpointAsync(registry, running, target);

            // Frozen where it stands (SIGSTOP keeps its lock), so nothing it does races what the test checks next.
            await Signal("STOP", running);
            if (kill == 0)
            {
                var second = await AdminProcess.RunAsync(database.Directory, env, "load-members", file);
                second.ExitCode.ShouldBe((int)ExitCode.AlreadyRunning, second.All);
                second.Error.ShouldContain($"実行番号 {run.RunId} で実行中");
            }

            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync();
            var killed = (await registry.GetAsync(run.RunId, default))!;
            killed.Status.ShouldBe(RunStatus.Started);
            lastKilledAt = CheckpointLine(killed.Checkpoint);
        }

        var rerun = await AdminProcess.RunAsync(database.Directory, env, "load-members", file);
        rerun.ExitCode.ShouldBe(0, rerun.All);
        rerun.Error.ShouldContain("途中で終了していたため、失敗（FAILED）として記録しました");
        rerun.Out.ShouldContain("続き");
        var runs = await registry.RecentAsync(TestDatabase.Municipality, 10, false, default);
        runs.Count(r => r.Status == RunStatus.Failed).ShouldBe(3);
        var final = runs.First();
        final.Status.ShouldBe(RunStatus.Completed);
        RunCounts.FromJson(final.Counts)["read"].ShouldBe(Rows);
        RunCounts.FromJson(final.Counts)["inserted"].ShouldBe(Rows);

        await using var reference = await TestDatabase.CreateMigratedAsync(kind);
        // The same key, so that 個人番号 digests compare; the sealed values differ by design (random nonces).
        (await InProcess.RunAsync(new LoadMembersJob(file), reference.Settings(chunkSize: 5000) with { KeyFile = database.KeyFile })).ExitCode.ShouldBe(0);
        foreach (var sql in ContentQueries)
        {
            var (actual, expected) = (await database.RowsAsync(sql), await reference.RowsAsync(sql));
            actual.Count.ShouldBe(expected.Count, sql);
            actual.Except(expected).Take(3).ShouldBeEmpty(sql);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task LoadMembers_Sigterm_StopsAtAChunkBoundaryWithExit130_RerunCompletes(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = MemberFile.Synthetic(Rows).Write(Path.Combine(database.Directory, "members.csv"));
        var env = database.Environment(chunkSize: ChunkSize);
        var registry = new RunRegistry(database.Store, TimeProvider.System);

        using var running = AdminProcess.Start(database.Directory, env, "load-members", file);
        var stderr = running.StandardError.ReadToEndAsync();
        var run = await WaitForCheckpointAsync(registry, running, 1000);
        await Signal("TERM", running);
        await running.WaitForExitAsync();

        running.ExitCode.ShouldBe((int)ExitCode.Interrupted, await stderr);
        (await stderr).ShouldContain("中断しました");
        var stopped = (await registry.GetAsync(run.RunId, default))!;
        stopped.Status.ShouldBe(RunStatus.Failed);
        // The checkpoint is the file's line of the last committed row: the header is line 1, so rows end on line rows + 1.
        var committed = CheckpointLine(stopped.Checkpoint) - 1;
        committed.ShouldBeLessThan(Rows);
        (committed % ChunkSize).ShouldBe(0); // stopped between chunks, never inside one
        (await database.CountAsync("person")).ShouldBe(committed);

        var rerun = await AdminProcess.RunAsync(database.Directory, env, "load-members", file);
        rerun.ExitCode.ShouldBe(0, rerun.All);
        (await database.CountAsync("person")).ShouldBe(Rows);
    }

    /// <summary>What "the same content" means: every stored field, with 個人番号 compared by digest (sealing is randomised).</summary>
    private static readonly string[] ContentQueries =
    [
        "SELECT municipality_code, atena_number, basic_pension_number, name, name_kana, birth_date, birth_date_text, sex, postal_code, address, address_suffix, resident_status, removed_on FROM person ORDER BY atena_number",
        "SELECT municipality_code, atena_number, acquired_on, insured_category, acquisition_reason, lost_on, loss_reason FROM qualification ORDER BY atena_number, acquired_on",
        "SELECT atena_number, number_digest FROM person_individual_number ORDER BY atena_number",
        "SELECT table_name, record_key, action, count(*) FROM audit_log GROUP BY table_name, record_key, action ORDER BY table_name, record_key, action",
    ];

    private static async Task<RunRecord> WaitForCheckpointAsync(RunRegistry registry, Process process, long line)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"the load ended (exit {process.ExitCode}) before line {line}: {await process.StandardOutput.ReadToEndAsync()} {await process.StandardError.ReadToEndAsync()}");
            var run = await registry.RunningAsync(TestDatabase.Municipality, LoadMembersJob.JobName, default);
            if (run is not null && CheckpointLine(run.Checkpoint) >= line) return run;
            await Task.Delay(5);
        }
        throw new TimeoutException($"no checkpoint at line {line} within two minutes");
    }

    private static async Task Signal(string signal, Process process)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    private static long CheckpointLine(string? checkpoint) => checkpoint is null ? 0 : long.Parse(checkpoint.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture);
}
