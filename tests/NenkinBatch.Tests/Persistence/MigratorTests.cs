using NenkinBatch.Foundation;
using NenkinBatch.Persistence;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Persistence;

public class MigratorTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task MigrateAsync_EmptyDatabase_CreatesSchema_SecondRunIsNoOp(string kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var sut = new Migrator(database.Store, TimeProvider.System);

        (await database.Store.IsNewAsync(default)).ShouldBeTrue();
        var first = await sut.MigrateAsync(default);
        first.Select(m => m.Version).ShouldBe(sut.Available.Select(m => m.Version));
        (await sut.MigrateAsync(default)).ShouldBeEmpty();

        var applied = await sut.AppliedAsync(default);
        applied.Select(m => m.Version).ShouldBe(sut.Available.Select(m => m.Version));
        (await sut.PendingAsync(default)).ShouldBeEmpty();
        foreach (var table in new[] { "person", "person_individual_number", "qualification", "jps_result_file", "jps_result", "jps_result_rejected",
                     "person_address_history", "person_name_history", "juki_file", "juki_pending", "follow_up", "reconcile_result", "batch_run", "run_problem", "audit_log", "purge_plan", "purge_plan_item", "purge_log" })
            (await database.CountAsync(table)).ShouldBe(0, table);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task AuditLog_IsAppendOnly(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var registry = new RunRegistry(database.Store, TimeProvider.System);
        var run = await registry.StartAsync(TestDatabase.Municipality, "test", "", "", null, default);
        await using var connection = await database.Store.OpenAsync(default);
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO audit_log (municipality_code, run_id, job, table_name, record_key, action, individual_number_accessed, recorded_at) VALUES ('121002', {run}, 'test', 'person', 'k', 'INSERT', {(kind == TestDatabase.Sqlite ? "0" : "false")}, {(kind == TestDatabase.Sqlite ? "'2026-01-01'" : "now()")})";
        await insert.ExecuteNonQueryAsync();

        foreach (var sql in new[] { "UPDATE audit_log SET record_key = 'x'", "DELETE FROM audit_log" })
        {
            await using var change = connection.CreateCommand();
            change.CommandText = sql;
            var error = await Should.ThrowAsync<System.Data.Common.DbException>(() => change.ExecuteNonQueryAsync());
            error.Message.ShouldContain("append-only");
        }
        (await database.CountAsync("audit_log")).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task MigrateAsync_AppliedMigrationChangedSinceApplied_RefusedBySafetyRule(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        await using (var connection = await database.Store.OpenAsync(default))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "UPDATE schema_migration SET checksum = 'edited' WHERE version = 1";
            await command.ExecuteNonQueryAsync();
        }
        var error = await Should.ThrowAsync<OperatorException>(() => new Migrator(database.Store, TimeProvider.System).MigrateAsync(default));
        error.ExitCode.ShouldBe(ExitCode.RefusedBySafetyRule);
        error.Message.ShouldContain("0001_initial");
    }
}
