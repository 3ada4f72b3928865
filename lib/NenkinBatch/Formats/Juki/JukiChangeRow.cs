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
    string? Nationality,
    string? MunicipalityCode = null);

/// <param name="AtenaNumber">The row's 宛名番号 when it could be read, even if the row is refused: a follow-up names the person.</param>
public sealed record JukiReadResult(long Line, JukiChangeRow? Row, IReadOnlyList<RowProblem> Problems, string? AtenaNumber = null);

/// <summary>What 支援措置 (DV等) means for every output: where the person lives is shown as this text.</summary>
public static class DisclosureBlock
{
    public const string Hidden = "（支援措置対象のため非表示）";
}

/// <summary>
/// The 異動事由 categories (docs/domain.md): 記載 10–19, 消除 20–29, 修正 30–39; 19/29/39 cancel the latest change of
/// their category. The 住民状態 a snapshot after each change must have (assumed, as the codes are).
/// </summary>
public static class JukiChangeReasons
{
    public static bool IsCancellation(string reason) => reason is "19" or "29" or "39";

    /// <summary>The category digit: '1' 記載, '2' 消除, '3' 修正.</summary>
    public static char Category(string reason) => reason[0];

    public static bool IsEntry(string reason) => reason is "10" or "11" or "12" or "13";

    public static IReadOnlyList<int>? RequiredStatus(string reason) => reason switch
    {
        "10" or "11" or "12" or "13" or "30" or "31" or "32" or "34" => [1],
        "20" or "21" => [2],
        "22" => [3],
        "23" => [9],
        _ => null,
    };
}
