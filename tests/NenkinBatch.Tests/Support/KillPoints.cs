using System.Diagnostics;
using System.Globalization;
using NenkinBatch.Persistence;

namespace NenkinBatch.Tests.Support;

/// <summary>
/// The kill half of a kill-and-rerun test: a real job process started once per point and killed (SIGKILL) a moment after its
/// checkpoint — whose trailing number counts lines or items, "…:&lt;n&gt;" — has passed the point.
/// </summary>
internal static class KillPoints
{
    /// <returns>How many of the runs were killed while still working (the others ended first).</returns>
    public static async Task<int> KillAtAsync(TestDatabase database, Dictionary<string, string> env, string dll, string job, string[] arguments,
        IEnumerable<int> points, Random random)
    {
        var registry = new RunRegistry(database.Store, TimeProvider.System);
        var killed = 0;
        foreach (var point in points)
        {
            var previous = long.Parse((await database.RowsAsync("SELECT COALESCE(max(run_id), 0) FROM batch_run")).Single(), CultureInfo.InvariantCulture);
            using var running = AdminProcess.StartDll(dll, database.Directory, env, arguments);
            var output = running.StandardOutput.ReadToEndAsync();
            var error = running.StandardError.ReadToEndAsync();
            if (await WaitPastAsync(registry, running, job, previous, point))
            {
                await Task.Delay(random.Next(0, 20));
                running.Kill(entireProcessTree: true);
                killed++;
            }
            await running.WaitForExitAsync();
            PrivacyGuard.LeakedIn(await output + await error).ShouldBeEmpty();
        }
        return killed;
    }

    /// <summary>Waits until the running job has committed past the point; false when it ended first.</summary>
    private static async Task<bool> WaitPastAsync(RunRegistry registry, Process process, string job, long previousRun, int point)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            if (process.HasExited) return false;
            var run = await registry.RunningAsync(TestDatabase.Municipality, job, default);
            if (run is { } current && current.RunId > previousRun && current.Checkpoint is { } checkpoint
                && checkpoint.LastIndexOf(':') is var colon and > 0
                && long.TryParse(checkpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var committed) && committed >= point)
                return true;
            await Task.Delay(2);
        }
        throw new TimeoutException($"the run did not pass {point} within three minutes");
    }
}
