using NenkinBatch.Foundation;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>The nightly chain as the scheduler runs it: the executables, the environment, exit codes and console.</summary>
public class ReconcileCommandLineTests
{
    private static string Sample(string path) => Path.Combine(AdminProcess.RepositoryRoot, "samples", path);

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task NightlyChain_ImportThenReconcile_SaysWhereTheReportIs_UsageErrorsAre64(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var env = database.Environment();
        (await AdminProcess.RunDllAsync(AdminProcess.AdminDll, database.Directory, env, "load-members", Sample("city/members.csv"))).ExitCode.ShouldBe(0);
        (await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, env, Sample("city/jps-result.csv"))).ExitCode.ShouldBe(0);

        var reconcile = await AdminProcess.RunDllAsync(AdminProcess.ReconcileDll, database.Directory, env);

        reconcile.ExitCode.ShouldBe(0, reconcile.Error);
        var report = Directory.GetFiles(database.ReportDirectory, "reconcile-*.csv").ShouldHaveSingleItem();
        reconcile.Out.ShouldContain($"照合結果: {report}");
        reconcile.Out.ShouldContain("判定別: 一致 ");
        File.Exists(Path.ChangeExtension(report, ".xlsx")).ShouldBeTrue();
        PrivacyGuard.LeakedIn(reconcile.Out + reconcile.Error + string.Concat(Directory.GetFiles(database.LogDirectory).Select(File.ReadAllText))).ShouldBeEmpty();

        var both = await AdminProcess.RunDllAsync(AdminProcess.ReconcileDll, database.Directory, env, "--apply", "--dry-run");
        both.ExitCode.ShouldBe(64);
        both.Error.ShouldContain("同時に指定できません");
        var missing = await AdminProcess.RunDllAsync(AdminProcess.ReconcileDll, database.Directory, env, "--file", "999");
        missing.ExitCode.ShouldBe(64);
        missing.Error.ShouldContain("ファイル番号 999");
        (missing.Out + missing.Error).ShouldNotContain("   at ");
    }
}
