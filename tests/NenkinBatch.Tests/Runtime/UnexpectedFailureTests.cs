using NenkinBatch.Foundation;
using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Runtime;

/// <summary>Exit 70 is for defects; its message names the log that has the stack trace, and claims saved work only after work began.</summary>
public class UnexpectedFailureTests
{
    /// <summary>A job with a defect where the test puts it: before its work, or in it.</summary>
    private sealed class DefectiveJob(bool inWork) : Job
    {
        public override string Name => "defective";
        public override string[] CountNames => ["rows"];

        public override Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken) =>
            inWork ? Task.FromResult(("test", "test")) : throw new InvalidOperationException("a defect before the work");

        public override Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a defect in the work");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task DefectBeforeTheWork_Exit70_NamesTheLog_SaysNothingWasSaved(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);

        var run = await InProcess.RunAsync(new DefectiveJob(inWork: false), database.Settings());

        run.ExitCode.ShouldBe((int)ExitCode.UnexpectedFailure);
        run.Error.ShouldContain($"予期しないエラーで停止しました（InvalidOperationException）。詳細は {database.LogDirectory} のログファイルにあります。");
        run.Error.ShouldContain("処理は始まっていません（何も保存していません）");
        run.Error.ShouldNotContain("確定済み");
        run.Error.ShouldNotContain("   at ");
        database.AllLogText().ShouldContain("a defect before the work");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task DefectInTheWork_Exit70_SaysCommittedChunksAreKept(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);

        var run = await InProcess.RunAsync(new DefectiveJob(inWork: true), database.Settings());

        run.ExitCode.ShouldBe((int)ExitCode.UnexpectedFailure);
        run.Error.ShouldContain($"詳細は {database.LogDirectory} のログファイルにあります。");
        run.Error.ShouldContain("確定済みの箇所までは保存されている");
        database.AllLogText().ShouldContain("a defect in the work");
    }

    [Fact]
    public void Classify_NoLogWritten_ClaimsNone()
    {
        var (_, code, message) = JobRunner.Classify(new InvalidOperationException(), logDirectory: null, workSaved: null);

        code.ShouldBe(ExitCode.UnexpectedFailure);
        message.ShouldBe("予期しないエラーで停止しました（InvalidOperationException）。原因を取り除いてから再実行してください。");
    }
}
