using System.Text;
using NenkinBatch.Foundation;

namespace NenkinBatch.Jobs.Import;

/// <summary>
/// The folder JPS's lists arrive in. Only files that have stopped growing are taken (a transfer
/// still writing is left for the next run); a file taken moves to processed/, a file refused to
/// rejected/ with a .reason.txt beside it.
/// </summary>
public sealed class Inbox(string directory, TimeSpan settle)
{
    public const string Processed = "processed";
    public const string Rejected = "rejected";

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The files ready to import, in name order, and those still being written.</summary>
    public async Task<(IReadOnlyList<string> Ready, IReadOnlyList<string> Growing)> ScanAsync(CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
            throw new OperatorException(ExitCode.UsageError, $"受信フォルダー {Directory} がありません。--inbox のパスを確認してください。");
        var before = Candidates().ToDictionary(f => f, Size);
        if (before.Count > 0 && settle > TimeSpan.Zero) await Task.Delay(settle, cancellationToken);
        var ready = new List<string>();
        var growing = new List<string>();
        foreach (var (file, size) in before.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (File.Exists(file) && Size(file) == size && CanOpen(file)) ready.Add(file);
            else growing.Add(file);
        }
        return (ready, growing);
    }

    private IEnumerable<string> Candidates() =>
        System.IO.Directory.EnumerateFiles(Directory)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".reason.txt", StringComparison.OrdinalIgnoreCase)
                        && !f.EndsWith(".part", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase));

    private static long Size(string file) => new FileInfo(file).Length;

    // On Windows a file still open for writing cannot be opened to share; on Linux the size check above does the work.
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

    public string MoveToProcessed(string file) => Move(file, Processed);

    public string MoveToRejected(string file, string reason)
    {
        var moved = Move(file, Rejected);
        File.WriteAllText(moved + ".reason.txt", reason + Environment.NewLine, new UTF8Encoding(true));
        return moved;
    }

    private string Move(string file, string folder)
    {
        var target = Path.Combine(Directory, folder);
        System.IO.Directory.CreateDirectory(target);
        var destination = Path.Combine(target, Path.GetFileName(file));
        for (var n = 2; File.Exists(destination); n++)
            destination = Path.Combine(target, $"{Path.GetFileNameWithoutExtension(file)}.{n}{Path.GetExtension(file)}");
        File.Move(file, destination);
        return destination;
    }
}
