using Npgsql;
using NenkinBatch.Foundation;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs;

public class DatabaseFailureTests
{
    [Fact]
    public async Task Load_PostgresConnectionsTerminatedMidLoad_RetriedAndCountsRight()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Postgres);
        var file = MemberFile.Synthetic(20_000).Write(Path.Combine(database.Directory, "members.csv"));
        var settings = database.Settings(chunkSize: 100, retryAttempts: 8);
        var load = InProcess.RunAsync(new LoadMembersJob(file), settings);

        var terminated = 0;
        await using (var admin = new NpgsqlConnection(TestDatabase.PostgresServer))
        {
            await admin.OpenAsync();
            while (!load.IsCompleted && terminated < 5)
            {
                await Task.Delay(150);
                // Only this test's worker connections; the lock connection ("-lock") is left alone.
                await using var kill = new NpgsqlCommand(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @app", admin);
                kill.Parameters.AddWithValue("app", "nenkin-" + database.Schema);
                terminated += Convert.ToInt32(await kill.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        var run = await load;

        terminated.ShouldBeGreaterThan(0);
        database.Reconnect();
        run.ExitCode.ShouldBe((int)ExitCode.Success, run.Error);
        run.Error.ShouldContain("再試行します");
        run.Summary!.ShouldContain("\"inserted\": 20000");
        (await database.CountAsync("person")).ShouldBe(20_000);
        (await database.CountAsync("qualification")).ShouldBe(20_000);
        (await database.CountAsync("audit_log")).ShouldBe(20_000 + 20_000 + 6_667);
    }

    [Fact]
    public async Task Load_LockConnectionLost_StopsBeforeTheNextCommit_RerunCompletes()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Postgres);
        var file = MemberFile.Synthetic(20_000).Write(Path.Combine(database.Directory, "members.csv"));
        var load = InProcess.RunAsync(new LoadMembersJob(file), database.Settings(chunkSize: 100, retryAttempts: 8));

        var registry = new NenkinBatch.Persistence.RunRegistry(database.Store, TimeProvider.System);
        var killed = 0;
        await using (var admin = new NpgsqlConnection(TestDatabase.PostgresServer))
        {
            await admin.OpenAsync();
            while (!load.IsCompleted && killed == 0)
            {
                await Task.Delay(20);
                var running = await registry.RunningAsync(TestDatabase.Municipality, LoadMembersJob.JobName, default);
                if (running?.Checkpoint is null) continue;
                await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @app", admin);
                kill.Parameters.AddWithValue("app", $"nenkin-{database.Schema}-lock");
                killed = Convert.ToInt32(await kill.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        var run = await load;

        killed.ShouldBe(1);
        run.ExitCode.ShouldBe((int)ExitCode.RefusedBySafetyRule, run.Error);
        run.Error.ShouldContain("ロックが失われました");
        database.Reconnect();
        (await database.CountAsync("person")).ShouldBeLessThan(20_000);

        var rerun = await InProcess.RunAsync(new LoadMembersJob(file), database.Settings(chunkSize: 5000));
        rerun.ExitCode.ShouldBe(0, rerun.Error);
        (await database.CountAsync("person")).ShouldBe(20_000);
    }
}
