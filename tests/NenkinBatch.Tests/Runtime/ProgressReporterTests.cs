using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Runtime;

public class ProgressReporterTests
{
    private static (ProgressReporter Sut, ManualClock Clock, StringWriter Console, NLog.Targets.MemoryTarget Log) CreateSut(bool interactive)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
        var memory = new NLog.Targets.MemoryTarget("memory") { Layout = "${message}" };
        var configuration = new NLog.Config.LoggingConfiguration();
        configuration.AddRuleForAllLevels(memory);
        var factory = new NLog.LogFactory { Configuration = configuration };
        var console = new StringWriter();
        return (new ProgressReporter(factory.GetLogger("test"), clock, interactive, console, TimeSpan.FromSeconds(10)), clock, console, memory);
    }

    [Fact]
    public void Report_Redirected_LogsALineOncePerInterval_WithRateAndEstimate()
    {
        var (sut, clock, console, log) = CreateSut(interactive: false);
        clock.Advance(TimeSpan.FromSeconds(5));
        sut.Report(5_000, 0.1);
        log.Logs.ShouldBeEmpty();

        clock.Advance(TimeSpan.FromSeconds(5));
        sut.Report(10_000, 0.25);
        log.Logs.ShouldBe(["10,000 行処理（1,000 行/秒、残り約 00:00:30）"]);
        console.ToString().ShouldBeEmpty();

        sut.Report(10_500, 0.26);
        log.Logs.Count.ShouldBe(1);
    }

    [Fact]
    public void Report_Interactive_RewritesOneConsoleLine_AndLogsNothing()
    {
        var (sut, clock, console, log) = CreateSut(interactive: true);
        clock.Advance(TimeSpan.FromSeconds(10));
        sut.Report(2_000, null);
        console.ToString().ShouldStartWith("\r2,000 行処理（200 行/秒）");
        log.Logs.ShouldBeEmpty();
    }
}
