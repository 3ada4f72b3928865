using NenkinBatch.Formats.Juki;
using NenkinBatch.Persistence.Audit;

namespace NenkinBatch.Persistence.Juki;

/// <summary>
/// 宛名 as the 住基 sends it: one person's snapshot after a change, without the 個人番号 (kept apart, sealed) and without
/// 基礎年金番号 (not the register's). Value equality tells whether a change changed anything.
/// </summary>
public sealed record ResidentSnapshot(
    string Name,
    string NameKana,
    string? CommonName,
    DateOnly? BirthDate,
    string? BirthDateText,
    int Sex,
    int? ResidentKind,
    int ResidentStatus,
    string? HouseholdNumber,
    string? Relationship,
    string? PostalCode,
    string Address,
    string? AddressSuffix,
    DateOnly? BecameResidentOn,
    string? MovedOutTo,
    DateOnly? RemovedOn,
    string? Nationality,
    bool DisclosureBlock)
{
    public static ResidentSnapshot From(JukiChangeRow row) => new(
        row.Name, row.NameKana, row.CommonName, row.BirthDate.Date, row.BirthDate.UnknownText, row.Sex, row.ResidentKind, row.ResidentStatus,
        row.HouseholdNumber, row.Relationship, row.PostalCode, row.Address, row.AddressSuffix, row.BecameResidentOn, row.MovedOutTo, row.RemovedOn,
        row.Nationality, row.DisclosureBlock);

    public (string? PostalCode, string Address, string? AddressSuffix) Place => (PostalCode, Address, AddressSuffix);

    public (string Name, string NameKana, string? CommonName) Names => (Name, NameKana, CommonName);
}

/// <summary>One person as the sync finds them: the snapshot on file (null: not on file), the last 履歴番号 applied, the 個人番号's digest, whether a 資格 is open.</summary>
public sealed class StoredResident
{
    public ResidentSnapshot? Snapshot { get; set; }
    public int HistoryNumber { get; set; }
    public byte[]? NumberDigest { get; set; }
    public bool HasOpenQualification { get; set; }
}

/// <summary>A row waiting for the 履歴番号 before it (<c>juki_pending</c>).</summary>
public sealed record PendingRow(
    string AtenaNumber,
    int HistoryNumber,
    long FileId,
    long Line,
    string Snapshot,
    byte[]? NumberDigest,
    byte[]? NumberSealed,
    DateOnly FirstSeenOn,
    bool RaisesFollowUps);

/// <summary>One applied 履歴番号 (<c>person_juki_change</c>).</summary>
public sealed record AppliedChange(string AtenaNumber, int HistoryNumber, string ChangeReason, DateOnly ChangedOn, DateOnly ProcessedOn)
{
    public int? CancelledBy { get; set; }
}

/// <summary>A row of 住所履歴 or 氏名履歴: the value that held from <paramref name="ValidFrom"/>, brought by <paramref name="HistoryNumber"/>.</summary>
public sealed record HistoryEntry<T>(string AtenaNumber, int HistoryNumber, string ChangeReason, DateOnly ValidFrom, T Value)
{
    public int? CancelledBy { get; set; }
}

/// <summary>What one person's stored history holds, read only for a person a 取消し (19/29/39) arrives for.</summary>
public sealed class StoredHistory
{
    public List<AppliedChange> Changes { get; } = [];
    public List<HistoryEntry<(string? PostalCode, string Address, string? AddressSuffix)>> Addresses { get; } = [];
    public List<HistoryEntry<(string Name, string NameKana, string? CommonName)>> Names { get; } = [];
}

public static class FollowUpStatus
{
    public const string Open = "OPEN", Withdrawn = "WITHDRAWN", Resolved = "RESOLVED";
}

/// <summary>What a change asks of the 健康保険課 (<c>follow_up</c>); <see cref="SourceKey"/> makes it one per event across runs.</summary>
public sealed record FollowUp(
    string Kind,
    string SourceKey,
    string? AtenaNumber,
    int? HistoryNumber,
    string? ChangeReason,
    DateOnly? ChangedOn,
    string? FileName,
    long? Line,
    string WhatHappened,
    string WhatToDo,
    DateOnly? DueOn,
    string Status = FollowUpStatus.Open)
{
    public static string ChangeKey(string atenaNumber, int historyNumber) => $"{atenaNumber}:{historyNumber}";
}

/// <summary>A follow-up as a list shows it: with the person's name and its status.</summary>
public sealed record ListedFollowUp(FollowUp FollowUp, string? Name, string Status);

/// <summary>Everything one chunk of the sync writes, in the chunk's transaction.</summary>
public sealed class JukiWrites
{
    public List<(string AtenaNumber, ResidentSnapshot Snapshot, int HistoryNumber)> People { get; } = [];
    public List<Members.SealedNumber> Numbers { get; } = [];
    public List<AppliedChange> Changes { get; } = [];
    public List<HistoryEntry<(string? PostalCode, string Address, string? AddressSuffix)>> Addresses { get; } = [];
    public List<HistoryEntry<(string Name, string NameKana, string? CommonName)>> Names { get; } = [];
    /// <summary>Stored changes a 取消し undid: (宛名番号, 履歴番号 undone, 履歴番号 of the 取消し).</summary>
    public List<(string AtenaNumber, int HistoryNumber, int CancelledBy)> Cancelled { get; } = [];
    public List<PendingRow> PendingAdded { get; } = [];
    public List<(string AtenaNumber, int HistoryNumber)> PendingRemoved { get; } = [];
    public List<FollowUp> FollowUps { get; } = [];
    /// <summary>Stored follow-ups of a cancelled change, withdrawn: (宛名番号, 履歴番号).</summary>
    public List<(string AtenaNumber, int HistoryNumber)> Withdrawn { get; } = [];
    public List<AuditEntry> Audit { get; } = [];
}
