using NenkinBatch.Formats;

namespace NenkinBatch.Jobs.Import;

/// <summary>
/// A file still being written is not read: its size and modification time must hold still for the settle time.
/// Paths that are not regular files are never opened or waited for here; the inspection refuses them.
/// </summary>
internal static class SettledFiles
{
    /// <param name="waitAlways">
    /// The inbox waits the whole settle time, whatever the modification times say (a file server's clock may lag);
    /// a file named on the command line is waited for only when it was modified within the settle time.
    /// </param>
    public static async Task<(IReadOnlyList<string> Ready, IReadOnlyList<string> Growing)> SplitAsync(
        IReadOnlyList<string> files, TimeSpan settle, bool waitAlways, TimeProvider clock, CancellationToken cancellationToken)
    {
        var before = files.Select(Stamp).ToList();
        var stamped = before.OfType<(long Length, DateTime Modified)>().ToList();
        if (stamped.Count > 0 && settle > TimeSpan.Zero)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            // A modification time in the future (another machine's clock) is no evidence of rest either.
            var wait = waitAlways ? settle : stamped.Select(s => now - s.Modified).Select(age => age < TimeSpan.Zero ? settle : settle - age).Max();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, cancellationToken);
        }
        var ready = new List<string>();
        var growing = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            if (before[i] is null || (Stamp(files[i]) == before[i] && CanOpen(files[i]))) ready.Add(files[i]);
            else growing.Add(files[i]);
        }
        return (ready, growing);
    }

    private static (long Length, DateTime Modified)? Stamp(string file)
    {
        if (FileKinds.Of(file) != FileKind.Regular) return null;
        var info = new FileInfo(file);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
    }

    // On Windows a file still open for writing cannot be opened to share; on Linux the stamps above do the work.
    private static bool CanOpen(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
