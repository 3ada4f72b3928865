using NenkinBatch.Domain;

namespace NenkinBatch.Formats.Juki;

/// <summary>
/// One row of the 住基 change extract: the person's whole snapshot after the change (異動).
/// Names keep the register's characters exactly (文字情報基盤: non-BMP, variation sequences).
/// </summary>
public sealed record JukiChangeRow(
    long Line,
    string AtenaNumber,
    int HistoryNumber,
    string ChangeReason,
    DateOnly ChangedOn,
    DateOnly? NotifiedOn,
    DateOnly ProcessedOn,
    string HouseholdNumber,
    string? Relationship,
    string Name,
    string NameKana,
    string? CommonName,
    BirthDate BirthDate,
    int Sex,
    int ResidentKind,
    int ResidentStatus,
    string? PostalCode,
    string Address,
    string? AddressSuffix,
    DateOnly? BecameResidentOn,
    string? MovedOutTo,
    DateOnly? RemovedOn,
    IndividualNumber? IndividualNumber,
    bool DisclosureBlock,
    string? Nationality);

public sealed record JukiReadResult(long Line, JukiChangeRow? Row, IReadOnlyList<RowProblem> Problems);
