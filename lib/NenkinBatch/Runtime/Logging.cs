using System.Globalization;
using System.Runtime.CompilerServices;
using NLog;
using NLog.Config;
using NLog.Layouts;
using NLog.Targets;

namespace NenkinBatch.Runtime;

/// <summary>
/// One logging set-up for every job: the console for people (messages only, never a stack trace),
/// a daily file per job for operators, and a JSON-lines file for machines. Each line carries the
/// run id. Nothing personal is ever logged: callers pass counts, file names, lines and fields.
/// Times and the daily file's date are Tokyo's, read from the job's clock, whatever the server's zone.
/// </summary>
public static class Logging
{
    public sealed record Options(string Directory, string Job, bool Verbose, bool Quiet, TextWriter Out, TextWriter Error)
    {
        /// <summary>The job's clock: the one the run registry, the console and the reports read.</summary>
        public TimeProvider Clock { get; init; } = TimeProvider.System;
    }

    public static LogFactory Create(Options options)
    {
        System.IO.Directory.CreateDirectory(options.Directory);
        var configuration = new LoggingConfiguration();
        var prefix = Path.Combine(options.Directory, options.Job);
        var times = new EventTimes(options.Clock);

        var file = new FileTarget("file")
        {
            FileName = Layout.FromMethod(e => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{times.Of(e):yyyyMMdd}.log")),
            Layout = new CompoundLayout
            {
                Layouts =
                {
                    Layout.FromMethod(e => times.Of(e).ToString("yyyy-MM-dd HH:mm:ss.ffff", CultureInfo.InvariantCulture)),
                    " ${level:uppercase=true:padding=-5} run=${event-properties:run:whenEmpty=-} pid=${processid} ${message}${onexception:${newline}${exception:format=tostring}}",
                },
            },
            Encoding = System.Text.Encoding.UTF8,
            KeepFileOpen = false,
        };
        var json = new FileTarget("json")
        {
            FileName = Layout.FromMethod(e => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{times.Of(e):yyyyMMdd}.jsonl")),
            Layout = new JsonLayout
            {
                Attributes =
                {
                    new JsonAttribute("time", Layout.FromMethod(e => times.Of(e).ToString("O", CultureInfo.InvariantCulture))),
                    new JsonAttribute("level", "${level:uppercase=true}"),
                    new JsonAttribute("job", options.Job),
                    new JsonAttribute("run", "${event-properties:run}"),
                    new JsonAttribute("host", "${hostname}"),
                    new JsonAttribute("pid", "${processid}") { Encode = false },
                    new JsonAttribute("message", "${message}"),
                    new JsonAttribute("exception", "${exception:format=tostring}"),
                },
            },
            Encoding = new System.Text.UTF8Encoding(false),
            KeepFileOpen = false,
        };
        var console = new MethodCallTarget("console", (logEvent, _) =>
        {
            var writer = logEvent.Level >= LogLevel.Warn ? options.Error : options.Out;
            writer.WriteLine(logEvent.FormattedMessage);
        });

        var fileLevel = options.Verbose ? LogLevel.Debug : LogLevel.Info;
        var consoleLevel = options.Quiet ? LogLevel.Warn : options.Verbose ? LogLevel.Debug : LogLevel.Info;
        configuration.AddRule(fileLevel, LogLevel.Fatal, file);
        configuration.AddRule(fileLevel, LogLevel.Fatal, json);
        configuration.AddRule(consoleLevel, LogLevel.Fatal, console);

        var factory = new LogFactory { ThrowExceptions = false };
        factory.Configuration = configuration;
        return factory;
    }

    /// <summary>
    /// One Tokyo time per event, read from the job's clock when the event is first written: NLog stamps events with
    /// the host's clock, and a line, its file's date and its JSON twin must all say the same instant.
    /// </summary>
    private sealed class EventTimes(TimeProvider clock)
    {
        private readonly ConditionalWeakTable<LogEventInfo, StrongBox<DateTimeOffset>> _times = new();

        public DateTimeOffset Of(LogEventInfo logEvent) =>
            _times.GetValue(logEvent, _ => new StrongBox<DateTimeOffset>(BusinessClock.Now(clock))).Value;
    }
}
