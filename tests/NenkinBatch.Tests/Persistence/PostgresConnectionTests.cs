using Npgsql;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Persistence;
using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Persistence;

/// <summary>
/// A pool keeps its idle connections open on the server for minutes. A host that opens one store after another — a
/// scheduler host, the tests — would fill the server's connection slots unless each store closes its own when done.
/// </summary>
public class PostgresConnectionTests
{
    [Fact]
    public async Task DisposedStore_LeavesNoConnectionOnTheServer()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Postgres);
        var name = "nenkin-dispose-" + Guid.NewGuid().ToString("N")[..8];
        // Disposed again at the end whatever happens (a second dispose does nothing): a failing assertion must not leave the pool open.
        await using var store = Store.Create(DatabaseTarget.Parse(new NpgsqlConnectionStringBuilder(database.Database) { ApplicationName = name }.ConnectionString, false));
        var open = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => store.OpenAsync(default)));
        foreach (var connection in open) await connection.DisposeAsync();
        (await BackendsAsync(name)).ShouldBe(3, "the pool keeps the connections it opened, idle");

        await store.DisposeAsync();

        (await SettledBackendsAsync(name)).ShouldBe(0);
    }

    [Fact]
    public async Task JobRunInProcess_ClosesItsConnectionsWhenItEnds()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Postgres);
        var file = MemberFile.Synthetic(50).Write(Path.Combine(database.Directory, "members.csv"));
        await database.Store.DisposeAsync(); // the test's own pool, which migrated the schema
        database.Reconnect();

        var run = await InProcess.RunAsync(new LoadMembersJob(file), database.Settings(chunkSize: 10));

        run.ExitCode.ShouldBe(0, run.Error);
        (await SettledBackendsAsync("nenkin-" + database.Schema)).ShouldBe(0);
    }

    private static async Task<long> BackendsAsync(string applicationNamePrefix)
    {
        await using var admin = new NpgsqlConnection(TestDatabase.PostgresServer);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE @name", admin);
        command.Parameters.AddWithValue("name", applicationNamePrefix + "%");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A backend leaves pg_stat_activity a moment after its client has closed: the count once it has settled.</summary>
    private static async Task<long> SettledBackendsAsync(string applicationNamePrefix)
    {
        var count = await BackendsAsync(applicationNamePrefix);
        for (var i = 0; i < 50 && count > 0; i++)
        {
            await Task.Delay(100);
            count = await BackendsAsync(applicationNamePrefix);
        }
        return count;
    }
}
