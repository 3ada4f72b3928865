using System.Text;
using NenkinBatch.Foundation;

namespace NenkinBatch.Jobs.Import;

/// <summary>
/// The folder JPS's lists arrive in. Only files that have stopped growing are taken (a transfer
/// still writing is left for the next run, <see cref="SettledFiles"/>); a file taken moves to processed/,
/// a file refused (a FIFO or a device among them) to rejected/ with a .reason.txt beside it.
/// </summary>
public sealed class Inbox(string directory, TimeSpan settle)
{
    public const string Processed = "processed";
    public const string Rejected = "rejected";

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>
    /// The files ready to import, in name order, and those still being written. A path that is not a regular
    /// file (a FIFO, a device) counts as ready: it is never opened here, and its inspection refuses it at once.
    /// </summary>
    public async Task<(IReadOnlyList<string> Ready, IReadOnlyList<string> Growing)> ScanAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!System.IO.Directory.Exists(Directory))
            throw new OperatorException(ExitCode.UsageError, $"受信フォルダー {Directory} がありません。--inbox のパスを確認してください。");
        var candidates = Candidates().Order(StringComparer.Ordinal).ToList();
        return await SettledFiles.SplitAsync(candidates, settle, waitAlways: true, clock, cancellationToken);
    }

    private IEnumerable<string> Candidates() =>
        System.IO.Directory.EnumerateFiles(Directory)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && !f.EndsWith(".reason.txt", StringComparison.OrdinalIgnoreCase)
                        && !f.EndsWith(".part", StringComparison.OrdinalIgnoreCase) && !f.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase));

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
