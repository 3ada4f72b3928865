using NLog;
using NLog.Config;
using NLog.Layouts;
using NLog.Targets;

namespace NenkinBatch.Runtime;

/// <summary>
/// One logging set-up for every job: the console for people (messages only, never a stack trace),
/// a daily file per job for operators, and a JSON-lines file for machines. Each line carries the
/// run id. Nothing personal is ever logged: callers pass counts, file names, lines and fields.
/// </summary>
public static class Logging
{
    public sealed record Options(string Directory, string Job, bool Verbose, bool Quiet, TextWriter Out, TextWriter Error);

    public static LogFactory Create(Options options)
    {
        System.IO.Directory.CreateDirectory(options.Directory);
        var configuration = new LoggingConfiguration();
        var prefix = Path.Combine(options.Directory, options.Job);

        var file = new FileTarget("file")
        {
            FileName = prefix + "-${date:format=yyyyMMdd}.log",
            Layout = "${longdate} ${level:uppercase=true:padding=-5} run=${event-properties:run:whenEmpty=-} pid=${processid} ${message}${onexception:${newline}${exception:format=tostring}}",
            Encoding = System.Text.Encoding.UTF8,
            KeepFileOpen = false,
        };
        var json = new FileTarget("json")
        {
            FileName = prefix + "-${date:format=yyyyMMdd}.jsonl",
            Layout = new JsonLayout
            {
                Attributes =
                {
                    new JsonAttribute("time", "${date:universalTime=true:format=o}"),
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
}
