namespace NenkinBatch.Formats.Reports;

/// <summary>
/// One row of the reconciliation report (docs/formats.md, "Reconciliation report"): a list row, or a local-only
/// finding (機構未反映, with no line). Texts are as the clerk reads them; the 判定 is typed. <see cref="Headers"/> and
/// <see cref="Cells"/> are the one place the column order is written.
/// </summary>
public sealed record ReconcileReportRow(
    string RunId,
    string File,
    string Line,
    string Filing,
    string Result,
    string BasicPensionNumber,
    string Name,
    string KanaName,
    string BirthDate,
    Verdict Verdict,
    string AtenaNumber,
    string Score,
    string Evidence,
    string Differences,
    string Action,
    string OtherCandidates)
{
    public static IReadOnlyList<string> Headers { get; } =
        ["実行番号", "ファイル", "行番号", "届書", "処理結果", "基礎年金番号", "氏名", "カナ氏名", "生年月日", "判定", "宛名番号", "一致度", "根拠", "差異", "対応", "他候補"];

    /// <summary>On a row a clerk may decide (<see cref="DecisionColumns.IsDecidable"/>): which row it is, for the workbook's hidden 照合ID.</summary>
    public RowFingerprint? Fingerprint { get; init; }

    /// <summary>
    /// The birth date where the row has a full one (the 生年月日 cell is its 和暦 text for reading; a 不詳 date has none): the
    /// workbook writes it as a date a clerk can sort and filter by, beside the text.
    /// </summary>
    public DateOnly? BirthDateValue { get; init; }

    /// <summary>The cells in <see cref="Headers"/> order.</summary>
    public string[] Cells() =>
        [RunId, File, Line, Filing, Result, BasicPensionNumber, Name, KanaName, BirthDate, Verdict.Label(), AtenaNumber, Score, Evidence, Differences, Action, OtherCandidates];
}
