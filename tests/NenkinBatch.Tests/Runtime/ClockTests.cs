using System.Globalization;
using System.Text.Json;
using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Runtime;

/// <summary>One clock, one zone: log lines, the daily log files' names and the JSON lines say Tokyo's time, whatever the host's zone.</summary>
public class ClockTests
{
    private static (LogFactoryScope Sut, ManualClock Clock, string Directory) CreateSut(DateTimeOffset start)
    {
        var directory = Path.Combine(Path.GetTempPath(), "nenkin-test-" + Guid.NewGuid().ToString("N")[..12]);
        var clock = new ManualClock(start);
        var factory = Logging.Create(new Logging.Options(directory, "import", Verbose: false, Quiet: true, TextWriter.Null, TextWriter.Null) { Clock = clock });
        return (new LogFactoryScope(factory, directory), clock, directory);
    }

    /// <summary>The factory and its folder, both gone when the test ends.</summary>
    private sealed class LogFactoryScope(NLog.LogFactory factory, string directory) : IDisposable
    {
        public NLog.Logger Log { get; } = factory.GetLogger("import").WithProperty("run", 7);

        public void Flush() => factory.Flush();

        public void Dispose()
        {
            factory.Dispose();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    private static string JsonTime(string line)
    {
        using var json = JsonDocument.Parse(line);
        return json.RootElement.GetProperty("time").GetString()!;
    }

    [Fact]
    public void Log_JustAfterTokyosMidnight_WhileUtcIsStillTheDayBefore_FilesAndLinesSayTokyosDate()
    {
        var (sut, _, directory) = CreateSut(DateTimeOffset.Parse("2026-03-31T15:30:00Z", CultureInfo.InvariantCulture));
        using (sut)
        {
            sut.Log.Info("開始");
            sut.Flush();

            Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["import-20260401.jsonl", "import-20260401.log"]);
            File.ReadAllLines(Path.Combine(directory, "import-20260401.log")).Single().ShouldStartWith("2026-04-01 00:30:00.0000 INFO  run=7 pid=");
            JsonTime(File.ReadAllLines(Path.Combine(directory, "import-20260401.jsonl")).Single()).ShouldBe("2026-04-01T00:30:00.0000000+09:00");
        }
    }

    [Fact]
    public void Log_AcrossTokyosMidnight_EachLineGoesToItsOwnDaysFile()
    {
        var (sut, clock, directory) = CreateSut(DateTimeOffset.Parse("2026-03-31T14:59:59Z", CultureInfo.InvariantCulture));
        using (sut)
        {
            sut.Log.Info("前日");
            clock.Advance(TimeSpan.FromSeconds(2));
            sut.Log.Info("翌日");
            sut.Flush();

            File.ReadAllLines(Path.Combine(directory, "import-20260331.log")).Single().ShouldBe($"2026-03-31 23:59:59.0000 INFO  run=7 pid={Environment.ProcessId} 前日");
            File.ReadAllLines(Path.Combine(directory, "import-20260401.log")).Single().ShouldBe($"2026-04-01 00:00:01.0000 INFO  run=7 pid={Environment.ProcessId} 翌日");
            JsonTime(File.ReadAllLines(Path.Combine(directory, "import-20260331.jsonl")).Single()).ShouldBe("2026-03-31T23:59:59.0000000+09:00");
            JsonTime(File.ReadAllLines(Path.Combine(directory, "import-20260401.jsonl")).Single()).ShouldBe("2026-04-01T00:00:01.0000000+09:00");
        }
    }

    [Fact]
    public async Task Import_OnAHostInUtc_LogsTokyosTime_InTheFileOfTokyosDate()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var environment = database.Environment();
        environment["TZ"] = "UTC";
        var before = BusinessClock.Now(TimeProvider.System);

        var run = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, environment,
            Path.Combine(AdminProcess.RepositoryRoot, "samples", "city", "jps-result.csv"));

        var after = BusinessClock.Now(TimeProvider.System);
        run.ExitCode.ShouldBe(0, run.All);
        var log = Directory.GetFiles(database.LogDirectory, "import-*.log").ShouldHaveSingleItem();
        Path.GetFileName(log).ShouldBeOneOf($"import-{before.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.log", $"import-{after.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.log");
        var lines = File.ReadAllLines(log).Where(l => l.Contains(" run=", StringComparison.Ordinal)).ToList();
        lines.ShouldNotBeEmpty();
        foreach (var line in lines)
        {
            var stamp = DateTime.ParseExact(line[..24], "yyyy-MM-dd HH:mm:ss.ffff", CultureInfo.InvariantCulture);
            stamp.ShouldBeInRange(before.DateTime.AddSeconds(-1), after.DateTime.AddSeconds(1));
        }
        var jsonLines = File.ReadAllLines(Path.ChangeExtension(log, ".jsonl"));
        jsonLines.ShouldNotBeEmpty();
        foreach (var line in jsonLines)
        {
            var time = JsonTime(line);
            time.ShouldEndWith("+09:00");
            DateTimeOffset.Parse(time, CultureInfo.InvariantCulture).ShouldBeInRange(before.AddSeconds(-1), after.AddSeconds(1));
        }
    }
}
