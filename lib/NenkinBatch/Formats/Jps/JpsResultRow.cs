using NenkinBatch.Domain;

namespace NenkinBatch.Formats.Jps;

/// <summary>One row of JPS's 処理結果一覧表, as sent: names kept exactly as JPS wrote them (half-width kana, 〓).</summary>
public sealed record JpsResultRow(
    long Line,
    string MunicipalityCode,
    string FilingCode,
    DateOnly ReceivedOn,
    DateOnly ProcessedOn,
    string? BasicPensionNumber,
    string KanaName,
    string? KanjiName,
    DateOnly BirthDate,
    int Sex,
    string? PostalCode,
    string? Address,
    int? InsuredCategory,
    DateOnly? AcquiredOn,
    string? AcquisitionReason,
    DateOnly? LostOn,
    string? LossReason,
    int Result,
    string? ErrorCode,
    string? ErrorText,
    IndividualNumber? IndividualNumber);

/// <summary>What the reader made of one data record: a row (maybe with warnings), or only problems.</summary>
public sealed record JpsReadResult(long Line, JpsResultRow? Row, IReadOnlyList<RowProblem> Problems)
{
    /// <summary>The line of an earlier good row with exactly the same bytes: this one is only reported, never stored twice.</summary>
    public long? DuplicateOf { get; init; }
}
