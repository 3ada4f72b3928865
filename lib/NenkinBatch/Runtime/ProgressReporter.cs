using NLog;

namespace NenkinBatch.Runtime;

/// <summary>
/// Shows how far a long job is: a live line on an interactive console, or a log line every few
/// seconds when output is redirected (Task Scheduler, cron), where a live line would be noise.
/// </summary>
public sealed class ProgressReporter(Logger log, TimeProvider clock, bool interactive, TextWriter console, TimeSpan? interval = null)
{
    private readonly long _started = clock.GetTimestamp();
    private readonly TimeSpan _interval = interval ?? (interactive ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(10));
    private long _lastReport = clock.GetTimestamp();

    /// <param name="fraction">How much of the input is done (0..1), when known, for the estimate.</param>
    public void Report(long rows, double? fraction)
    {
        if (clock.GetElapsedTime(_lastReport) < _interval) return;
        _lastReport = clock.GetTimestamp();
        var elapsed = clock.GetElapsedTime(_started);
        var rate = rows / Math.Max(elapsed.TotalSeconds, 0.001);
        var remaining = fraction is > 0.001 and < 1 ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (1 - fraction.Value) / fraction.Value) : (TimeSpan?)null;
        var text = $"{rows:N0} 行処理（{rate:N0} 行/秒{(remaining is { } r ? $"、残り約 {r:hh\\:mm\\:ss}" : "")}）";
        if (interactive) console.Write($"\r{text}   ");
        else log.Info(text);
    }

    public void Finish()
    {
        if (interactive) console.Write("\r" + new string(' ', 60) + "\r");
    }

    public static bool IsInteractive => !Console.IsErrorRedirected && Environment.UserInteractive;

}
