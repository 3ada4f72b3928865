using NenkinBatch.Foundation;
using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>nenkin-import as a scheduler runs it: exit codes, messages naming file, line and field, no stack traces.</summary>
public class ImportCommandLineTests
{
    private static string Sample(string path) => Path.Combine(AdminProcess.RepositoryRoot, "samples", path);

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_SampleThenBrokenFiles_ExitCodesSayWhichCase(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var env = database.Environment();

        var good = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, env, Sample("city/jps-result.csv"), Sample("city/jps-result.dat"));
        good.ExitCode.ShouldBe(0, good.All);
        good.Out.ShouldContain("取込 80 行（ファイル 2 件）");

        var rows = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, env, Sample("broken/bad-dates.csv"));
        rows.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, rows.All);
        rows.Error.ShouldContain("bad-dates.csv 7行目 項目「受付年月日」: 元号コード「2」");

        var file = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, env, Sample("broken/truncated.dat"));
        file.ExitCode.ShouldBe((int)ExitCode.InputRejected, file.All);
        file.Error.ShouldContain("truncated.dat: 最後のレコード（9行目）が 137 バイトで途中で切れています");

        foreach (var result in new[] { good, rows, file })
        {
            result.All.ShouldNotContain("   at ");
            result.All.ShouldNotContain("Exception");
        }
        (await database.CountAsync("jps_result")).ShouldBe(80 + 9);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_FifoAndDevice_RefusedAtOnce_Exit20_TheListBesideThemImported(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var fifo = NenkinBatch.Tests.Jobs.Import.SpecialFiles.Fifo(database.Directory, "pipe.csv");

        var run = AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, database.Environment(), fifo, "/dev/zero", Sample("city/jps-result.csv"));
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60)));
        finished.ShouldBe(run, "nenkin-import blocked on a FIFO or a device");
        var result = await run;

        result.ExitCode.ShouldBe((int)ExitCode.InputRejected, result.All);
        result.Error.ShouldContain($"{fifo} は名前付きパイプ（FIFO）で、通常のファイルではありません");
        result.Error.ShouldContain("/dev/zero はデバイスファイルで、通常のファイルではありません");
        result.All.ShouldNotContain("   at ");
        result.All.ShouldNotContain("Exception");
        (await database.CountAsync("jps_result")).ShouldBe(40);
    }

    [Fact]
    public async Task Import_NothingToImport_UsageError()
    {
        await using var database = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var result = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, database.Environment());
        result.ExitCode.ShouldBe((int)ExitCode.UsageError);
        result.Error.ShouldContain("--inbox");
    }
}
