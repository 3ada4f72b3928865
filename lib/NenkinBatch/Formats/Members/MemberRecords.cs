using NenkinBatch.Domain;

namespace NenkinBatch.Formats.Members;

/// <summary>宛名 + 年金基本: one person as the city's records hold them. Value equality drives "unchanged".</summary>
public sealed record PersonRecord(
    string AtenaNumber,
    string? BasicPensionNumber,
    string Name,
    string NameKana,
    DateOnly? BirthDate,
    string? BirthDateText,
    int Sex,
    string? PostalCode,
    string Address,
    string? AddressSuffix,
    int ResidentStatus,
    DateOnly? RemovedOn);

/// <summary>資格: one period of 国民年金 membership, keyed by (宛名番号, 取得日).</summary>
public sealed record QualificationRecord(
    DateOnly AcquiredOn,
    int InsuredCategory,
    string? AcquisitionReason,
    DateOnly? LostOn,
    string? LossReason);

/// <summary>One valid row of a members-csv file.</summary>
public sealed record MemberRow(long Line, PersonRecord Person, QualificationRecord? Qualification, IndividualNumber? IndividualNumber);

/// <summary>What the reader made of one physical record: a row to keep (maybe with warnings), or only problems.</summary>
public sealed record MemberReadResult(long Line, MemberRow? Row, IReadOnlyList<RowProblem> Problems);
