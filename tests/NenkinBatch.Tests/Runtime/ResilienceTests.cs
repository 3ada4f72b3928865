using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Runtime;

public class ResilienceTests
{
    private static (Polly.ResiliencePipeline Pipeline, NLog.Targets.MemoryTarget Log) CreateSut(int maxAttempts, Func<Exception, bool>? isTransient = null)
    {
        var memory = new NLog.Targets.MemoryTarget("memory") { Layout = "${message}" };
        var configuration = new NLog.Config.LoggingConfiguration();
        configuration.AddRuleForAllLevels(memory);
        var factory = new NLog.LogFactory { Configuration = configuration };
        // A zero base delay: every backoff is zero, so the retries run at once.
        var pipeline = Resilience.ChunkPipeline(isTransient ?? (_ => true), maxAttempts, TimeSpan.Zero,
            new ManualClock(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero)), factory.GetLogger("test"));
        return (pipeline, memory);
    }

    [Fact]
    public async Task ChunkPipeline_AlwaysTransient_TriesMaxAttemptsInAll_LogsEachRetryAsTheAttemptAboutToStart()
    {
        var (pipeline, log) = CreateSut(maxAttempts: 3);
        var tried = 0;

        await Should.ThrowAsync<TimeoutException>(async () =>
            await pipeline.ExecuteAsync(_ => { tried++; return ValueTask.FromException(new TimeoutException()); }));

        tried.ShouldBe(3);
        log.Logs.Select(line => line[line.IndexOf('（', StringComparison.Ordinal)..]).ShouldBe(["（2/3回目）: TimeoutException", "（3/3回目）: TimeoutException"]);
    }

    [Fact]
    public async Task ChunkPipeline_PassesOnTheSecondAttempt_ReturnsItsResult()
    {
        var (pipeline, log) = CreateSut(maxAttempts: 6);
        var tried = 0;

        var result = await pipeline.ExecuteAsync(_ => ++tried < 2 ? ValueTask.FromException<int>(new TimeoutException()) : ValueTask.FromResult(42));

        (result, tried).ShouldBe((42, 2));
        log.Logs.ShouldHaveSingleItem().ShouldContain("（2/6回目）");
    }
}
