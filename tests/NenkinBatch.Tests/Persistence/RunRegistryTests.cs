using NenkinBatch.Foundation;
using NenkinBatch.Jobs.Admin;
using NenkinBatch.Persistence;
using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Persistence;

public class RunRegistryTests
{
    private static AdminCommands CreateAdmin(TestDatabase database, StringWriter output) => new(database.Settings(), false, output, TimeProvider.System);

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Recover_StartedRunWhoseProcessIsGone_MarkedFailed(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var registry = new RunRegistry(database.Store, TimeProvider.System);
        var run = await registry.StartAsync(TestDatabase.Municipality, "load-members", "f", "k", null, default);
        var output = new StringWriter();
        await using var admin = CreateAdmin(database, output);

        (await admin.RecoverRunAsync(run, default)).ShouldBe(0);

        (await registry.GetAsync(run, default))!.Status.ShouldBe(RunStatus.Failed);
        output.ToString().ShouldContain($"実行番号 {run} を失敗（FAILED）として記録しました");
        (await registry.RecentAsync(TestDatabase.Municipality, 10, failedOnly: true, default)).Select(r => r.RunId).ShouldBe([run]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Recover_RunWhoseLockIsHeld_RefusedAsStillRunning(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var registry = new RunRegistry(database.Store, TimeProvider.System);
        var run = await registry.StartAsync(TestDatabase.Municipality, "load-members", "f", "k", null, default);
        await using var held = await database.Store.TryLockJobAsync("load-members", TestDatabase.Municipality, default);

        await using var admin = CreateAdmin(database, new StringWriter());
        var error = await Should.ThrowAsync<OperatorException>(() => admin.RecoverRunAsync(run, default));

        error.ExitCode.ShouldBe(ExitCode.AlreadyRunning);
        (await registry.GetAsync(run, default))!.Status.ShouldBe(RunStatus.Started);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Lock_OneHolderPerJobAndMunicipality(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var other = NenkinBatch.Domain.MunicipalityCode.Parse("131016").Value;
        await using (var first = await database.Store.TryLockJobAsync("load-members", TestDatabase.Municipality, default))
        {
            first.ShouldNotBeNull();
            (await database.Store.TryLockJobAsync("load-members", TestDatabase.Municipality, default)).ShouldBeNull();
            await using var otherCity = await database.Store.TryLockJobAsync("load-members", other, default);
            otherCity.ShouldNotBeNull();
            await using var otherJob = await database.Store.TryLockJobAsync("import", TestDatabase.Municipality, default);
            otherJob.ShouldNotBeNull();
        }
        await using var again = await database.Store.TryLockJobAsync("load-members", TestDatabase.Municipality, default);
        again.ShouldNotBeNull();
    }
}
