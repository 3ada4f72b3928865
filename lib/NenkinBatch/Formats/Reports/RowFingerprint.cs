using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace NenkinBatch.Formats.Reports;

/// <summary>
/// Which report row a clerk's decision is about: the run that wrote it, the list (file id) and line it reports, and a digest
/// of the row as the clerk saw it (its cells). Written, hidden, on every row a clerk may decide (要確認, 市未登録), and
/// checked by <c>nenkin-reconcile decide</c> against the row the run stored, so a decision can never land on another row
/// (docs/formats.md, "The clerk's workbook").
/// </summary>
public readonly record struct RowFingerprint(long RunId, long FileId, long Line, string Digest)
{
    /// <summary>The fingerprint of a row whose cells are <paramref name="cells"/> (in <see cref="ReconcileReportRow.Headers"/> order).</summary>
    public static RowFingerprint Of(long runId, long fileId, long line, IReadOnlyList<string> cells)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', cells)), hash);
        return new RowFingerprint(runId, fileId, line, Convert.ToHexStringLower(hash[..8]));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{RunId}-{FileId}-{Line}-{Digest}");

    /// <summary>Reads a fingerprint as <see cref="ToString"/> writes it; false for anything else.</summary>
    public static bool TryParse(string? text, out RowFingerprint fingerprint)
    {
        fingerprint = default;
        var parts = text?.Trim().Split('-');
        if (parts is not { Length: 4 } || parts[3].Length != 16 || !parts[3].All(Uri.IsHexDigit)) return false;
        if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var run)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var file)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var line)) return false;
        fingerprint = new RowFingerprint(run, file, line, parts[3].ToLowerInvariant());
        return true;
    }
}

/// <summary>
/// The columns a clerk fills on the decidable sheets (要確認, 市未登録) of the workbook, and the choices of 判断. The writer
/// and <c>decide</c>'s reader both take them from here: the reader finds the columns by these headers, wherever a clerk's
/// spreadsheet program moved them.
/// </summary>
public static class DecisionColumns
{
    public const string Choice = "判断";
    public const string ClerkAtena = "宛名番号（職員入力）";
    public const string Fingerprint = "照合ID";

    public const string Candidate1 = "候補1";
    public const string Candidate2 = "候補2";
    public const string Candidate3 = "候補3";
    public const string Different = "別人（市未登録）";
    public const string Hold = "保留";

    /// <summary>The drop-down's entries, in its order.</summary>
    public static IReadOnlyList<string> Choices { get; } = [Candidate1, Candidate2, Candidate3, Different, Hold];

    /// <summary>The verdicts whose rows a clerk decides.</summary>
    public static bool IsDecidable(Verdict verdict) => verdict is Verdict.Review or Verdict.NotOnFile;
}
