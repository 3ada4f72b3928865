using NenkinBatch.Domain.Retention;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Purge;

/// <summary>
/// The files the suite leaves on disk, by kind: reports (<c>reportDir</c>: reconcile, follow-ups, purge plans), rejected-row lists and
/// daily logs (<c>logDir</c>: <c>*-rejected-*.csv</c>, <c>*.log</c>, <c>*.jsonl</c>), and the inboxes' copies (<c>processed/</c>,
/// <c>rejected/</c> of each folder in <c>purge.inboxDirs</c>). A file's date is its last write, as a Tokyo date.
/// </summary>
public static class RetainedFiles
{
    public sealed record Found(RecordKind Kind, string Path, DateOnly Date);

    public static IEnumerable<Found> Scan(Settings settings, IReadOnlyList<string> inboxes)
    {
        foreach (var path in Files(settings.ReportDirectory))
        {
            var name = Path.GetFileName(path);
            if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
                yield return new Found(RecordKind.ReportFile, path, DateOf(path));
        }
        foreach (var path in Files(settings.LogDirectory))
        {
            var name = Path.GetFileName(path);
            if (name.Contains("-rejected-", StringComparison.Ordinal) && name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                yield return new Found(RecordKind.RejectedList, path, DateOf(path));
            else if (name.EndsWith(".log", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
                yield return new Found(RecordKind.LogFile, path, DateOf(path));
        }
        foreach (var inbox in inboxes)
        {
            foreach (var folder in new[] { "processed", "rejected" })
            {
                foreach (var path in Files(Path.Combine(inbox, folder)))
                    yield return new Found(RecordKind.InboxFile, path, DateOf(path));
            }
        }
    }

    public static DateOnly DateOf(string path) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero), BusinessClock.Tokyo).DateTime);

    private static IEnumerable<string> Files(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal) : [];

    /// <summary>
    /// Overwrites a file with zeros, flushed to the disk, then unlinks it: its content does not stay readable in the freed blocks of
    /// an ordinary file system (a copy-on-write file system or an SSD's remapping can still keep old blocks: README, "nenkin-purge").
    /// </summary>
    public static void Erase(string path)
    {
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None))
        {
            var zeros = new byte[1 << 16];
            var left = stream.Length;
            while (left > 0)
            {
                var n = (int)Math.Min(zeros.Length, left);
                stream.Write(zeros, 0, n);
                left -= n;
            }
            stream.Flush(flushToDisk: true);
        }
        File.Delete(path);
    }
}
