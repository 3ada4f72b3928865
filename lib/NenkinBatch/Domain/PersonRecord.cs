namespace NenkinBatch.Domain;

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
