using System.Globalization;

namespace NenkinBatch.Runtime;

/// <summary>Checkpoints of line-oriented jobs: "line:N", the last data line committed.</summary>
public static class LineCheckpoint
{
    public static string Of(long line) => "line:" + line.ToString(CultureInfo.InvariantCulture);

    /// <summary>The line a checkpoint names, 0 for none (and for a checkpoint of another form, such as an import's "file:…").</summary>
    public static long LineOf(string? checkpoint) =>
        checkpoint is not null && checkpoint.StartsWith("line:", StringComparison.Ordinal)
        && long.TryParse(checkpoint.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var line)
            ? line
            : 0;
}
