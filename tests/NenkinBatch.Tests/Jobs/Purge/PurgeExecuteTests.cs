using System.Text;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Retention;
using NenkinBatch.Runtime;
using NenkinBatch.Jobs.Purge;
using NenkinBatch.Persistence.Purge;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.Purge;

/// <summary>
/// Execute's safety rules, each refusing before anything is deleted with its exit code (30) and a message saying what to do; the
/// re-check at the moment of deletion; holds; and the policy file refused whole (64).
/// </summary>
public class PurgeExecuteTests
{
    private static readonly DateOnly Today = new(2026, 10, 1);

    /// <summary>Ten people: 0–3 left the city in 2015 (past), 4 in 2022 (not yet), 5–9 residents.</summary>
    private static async Task<(TestDatabase Database, ManualClock Clock, Settings Settings)> CityAsync(string kind)
    {
        var database = await TestDatabase.CreateMigratedAsync(kind);
        NenkinBatch.Persistence.IndividualNumberProtector.FromKeyFile(database.KeyFile, createIfMissing: true);
        var clock = new ManualClock(PurgeWorld.At(Today, 10));
        var world = new PurgeWorld(database, TestDatabase.Municipality);
        for (var i = 0; i < 10; i++)
        {
            var removed = i < 4 ? new DateOnly(2015, 4, 1) : i == 4 ? new DateOnly(2022, 4, 1) : (DateOnly?)null;
            await world.AddPersonAsync(PurgeWorld.Atena(i), $"試験　{i}", removed is null ? 1 : 2, removed,
                [(new DateOnly(1990, 4, 1), removed ?? (DateOnly?)null)], withNumber: true, clock.GetUtcNow());
        }
        return (database, clock, database.Settings() with { PurgeCapPercent = 50 });
    }

    private static async Task<long> PlanAsync(Settings settings, ManualClock clock)
    {
        var job = new PurgePlanJob();
        var run = await InProcess.RunAsync(job, settings, clock: clock);
        run.ExitCode.ShouldBe(0, run.Error);
        return job.PlanId!.Value;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Execute_StalePlan_WrongCount_OverCap_EachRefusedWith30AndWhatToDo(string kind)
    {
        var (database, clock, settings) = await CityAsync(kind);
        await using var _ = database;
        var planId = await PlanAsync(settings, clock);

        var wrong = await InProcess.RunAsync(new PurgeExecuteJob(planId, 3, overCap: false), settings, clock: clock);
        wrong.ExitCode.ShouldBe(30);
        wrong.Error.ShouldContain($"--confirm-count 3 は削除計画 {planId} の件数 4 と違います。何も削除していません。");
        wrong.Error.ShouldContain("--confirm-count 4）で実行してください");

        var capped = await InProcess.RunAsync(new PurgeExecuteJob(planId, 4, overCap: false), settings with { PurgeCapPercent = 5 }, clock: clock);
        capped.ExitCode.ShouldBe(30);
        capped.Error.ShouldContain("purge.capPercent");
        capped.Error.ShouldContain("--over-cap を付けて実行してください");

        clock.Advance(TimeSpan.FromDays(15));
        var stale = await InProcess.RunAsync(new PurgeExecuteJob(planId, 4, overCap: true), settings, clock: clock);
        stale.ExitCode.ShouldBe(30);
        stale.Error.ShouldContain("15 日経っています（上限は設定 purge.planMaxAgeDays の 14 日）");
        stale.Error.ShouldContain("nenkin-purge plan で計画を作り直し");
        (await database.CountAsync("person")).ShouldBe(10, "a refused execute deletes nothing");
        (await database.CountAsync("purge_log")).ShouldBe(0);

        clock.Advance(TimeSpan.FromDays(-1));
        var done = await InProcess.RunAsync(new PurgeExecuteJob(planId, 4, overCap: false), settings, clock: clock);
        done.ExitCode.ShouldBe(0, done.Error);
        (await database.CountAsync("person")).ShouldBe(6);
        (await database.CountAsync("person_individual_number")).ShouldBe(6);
        (await database.CountAsync("qualification")).ShouldBe(6);
        var again = await InProcess.RunAsync(new PurgeExecuteJob(planId, 4, overCap: false), settings, clock: clock);
        again.ExitCode.ShouldBe(0);
        (await database.CountAsync("purge_log")).ShouldBe(4, "a second execute of a done plan erases nothing more");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Execute_PersonBackOrQualificationReopenedOrHeldSincePlanning_LeftAndListed(string kind)
    {
        var (database, clock, settings) = await CityAsync(kind);
        await using var _ = database;
        var planId = await PlanAsync(settings, clock);
        await ExecAsync(database, $"UPDATE person SET resident_status = 1 WHERE atena_number = '{PurgeWorld.Atena(0)}'");
        await ExecAsync(database, $"UPDATE qualification SET lost_on = NULL WHERE atena_number = '{PurgeWorld.Atena(1)}'");
        var hold = await InProcess.RunAsync(new PurgeHoldJob(new HoldTarget(PurgeHold.PersonKind, PurgeWorld.Atena(2)), add: true, "審査請求", Today.AddYears(1)), settings, clock: clock);
        hold.ExitCode.ShouldBe(0, hold.Error);

        var run = await InProcess.RunAsync(new PurgeExecuteJob(planId, 4, overCap: false), settings, clock: clock);
        run.ExitCode.ShouldBe(10);
        run.Error.ShouldContain("3 件は、確認し直した結果削除していません");
        (await database.RowsAsync("SELECT atena_number FROM person WHERE resident_status <> 1 ORDER BY atena_number")).ShouldBe([PurgeWorld.Atena(1), PurgeWorld.Atena(2), PurgeWorld.Atena(4)]);
        var list = Directory.GetFiles(database.ReportDirectory, "purge-skipped-*.csv").Single();
        var text = await File.ReadAllTextAsync(list, Encoding.UTF8);
        text.ShouldContain($"{PurgeWorld.Atena(0)},住民に戻っている");
        text.ShouldContain($"{PurgeWorld.Atena(1)},資格が続いている");
        text.ShouldContain($"{PurgeWorld.Atena(2)},保存の継続（ホールド）中");
        (await database.RowsAsync("SELECT table_name, action FROM audit_log WHERE table_name = 'purge_hold'")).ShouldBe(["purge_hold|INSERT"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Plan_HeldPersonAndLapsedHold_HeldNeverPlanned_LiftedOrLapsedPlanned(string kind)
    {
        var (database, clock, settings) = await CityAsync(kind);
        await using var _ = database;
        (await InProcess.RunAsync(new PurgeHoldJob(new HoldTarget(PurgeHold.PersonKind, PurgeWorld.Atena(0)), add: true, "訴訟", Today), settings, clock: clock)).ExitCode.ShouldBe(0);
        (await InProcess.RunAsync(new PurgeHoldJob(new HoldTarget(PurgeHold.PersonKind, PurgeWorld.Atena(1)), add: true, "照会", Today.AddDays(30)), settings, clock: clock)).ExitCode.ShouldBe(0);
        (await InProcess.RunAsync(new PurgeHoldJob(new HoldTarget(PurgeHold.PersonKind, PurgeWorld.Atena(1)), add: false, "照会が終わった"), settings, clock: clock)).ExitCode.ShouldBe(0);
        var planId = await PlanAsync(settings, clock);
        (await database.RowsAsync($"SELECT record_key FROM purge_plan_item WHERE plan_id = {planId} AND kind = 'person' ORDER BY seq"))
            .ShouldBe([PurgeWorld.Atena(1), PurgeWorld.Atena(2), PurgeWorld.Atena(3)]);
        clock.Advance(TimeSpan.FromDays(1));
        var next = await PlanAsync(settings, clock);
        (await database.RowsAsync($"SELECT count(*) FROM purge_plan_item WHERE plan_id = {next} AND kind = 'person'")).ShouldBe(["4"], "a hold ends after its last day");
        (await database.CountAsync("audit_log", "table_name = 'purge_hold'")).ShouldBe(3);
    }

    [Theory]
    [InlineData("""{ "kinds": { "person": { "years": 5, "floorYears": 6 } } }""", "保存年数 5 年が下限 floorYears 6 年より短く")]
    [InlineData("""{ "kinds": { "person": { "years": 7, "floorYears": 3 } } }""", "floorYears 3 年は下限 6 年より短くできません")]
    [InlineData("""{ "kinds": { "people": { "years": 7, "floorYears": 6 } } }""", "種類「people」は知らない種類です")]
    [InlineData("""{ "kinds": { "person": { "years": 7, "floorYears": 6 }, """, "JSON として読めません")]
    [InlineData("""{ "kinds": { "person": { "years": 7, "floorYears": 6 } } }""", "の保存期間がありません")]
    public async Task Plan_PolicyBelowItsFloorUnknownKindOrMalformed_RefusedWith64NothingPlanned(string policy, string expected)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var path = Path.Combine(database.Directory, "retention.json");
        await File.WriteAllTextAsync(path, policy);
        var run = await InProcess.RunAsync(new PurgePlanJob(), database.Settings() with { RetentionPolicyFile = path });
        run.ExitCode.ShouldBe(64);
        run.Error.ShouldContain($"保存期間ファイル {path} を受け付けません");
        run.Error.ShouldContain(expected);
        run.Error.ShouldContain("ファイルを直してから再実行してください");
        (await database.CountAsync("purge_plan")).ShouldBe(0);
    }

    [Fact]
    public void BuiltInPolicy_HasEveryKindAtOrAboveItsFloor_AndRecordsItsDigest()
    {
        var policy = RetentionPolicy.BuiltIn;
        policy.Periods.Select(p => p.Kind).ShouldBe(RecordKinds.All);
        policy[RecordKind.Person].Years.ShouldBe(7);
        policy[RecordKind.Audit].Years.ShouldBe(5);
        policy.Digest.Length.ShouldBe(64);
        // The anniversary is still kept: erased from the day after.
        policy[RecordKind.Person].IsPast(new DateOnly(2019, 3, 31), new DateOnly(2026, 3, 31)).ShouldBeFalse();
        policy[RecordKind.Person].IsPast(new DateOnly(2019, 3, 31), new DateOnly(2026, 4, 1)).ShouldBeTrue();
    }

    private static async Task ExecAsync(TestDatabase database, string sql)
    {
        await using var connection = await database.Store.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
