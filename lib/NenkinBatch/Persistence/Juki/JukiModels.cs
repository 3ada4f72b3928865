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
    /// <summary>Every 履歴番号 applied, in order (<c>person.juki_changes</c>).</summary>
    public List<AppliedChange> Changes { get; set; } = [];
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

/// <summary>One applied 履歴番号: its 異動事由 and 異動日, and the 取消し that undid it, if one did.</summary>
public sealed record AppliedChange(int HistoryNumber, string ChangeReason, DateOnly ChangedOn)
{
    public int? CancelledBy { get; set; }
}

/// <summary>
/// A person's applied changes as <c>person.juki_changes</c> keeps them: "履歴番号:異動事由:異動日" separated by ";", a change undone
/// ending in ":x" and the 履歴番号 of the 取消し ("2:30:20260915:x3"). Kept with the person: an initial load of a million people
/// writes no row per change.
/// </summary>
public static class JukiChangeLog
{
    public static List<AppliedChange> Parse(string? text)
    {
        var changes = new List<AppliedChange>();
        if (string.IsNullOrEmpty(text)) return changes;
        foreach (var entry in text.Split(';'))
        {
            var parts = entry.Split(':');
            changes.Add(new AppliedChange(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1],
                DateOnly.ParseExact(parts[2], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture))
            {
                CancelledBy = parts.Length > 3 ? int.Parse(parts[3].AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) : null,
            });
        }
        return changes;
    }

    public static string Format(IEnumerable<AppliedChange> changes) =>
        string.Join(";", changes.Select(c => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{c.HistoryNumber}:{c.ChangeReason}:{c.ChangedOn:yyyyMMdd}{(c.CancelledBy is { } by ? $":x{by}" : "")}")));
}

/// <summary>A row of 住所履歴 or 氏名履歴: the value that held from <paramref name="ValidFrom"/>, brought by <paramref name="HistoryNumber"/>.</summary>
public sealed record HistoryEntry<T>(string AtenaNumber, int HistoryNumber, string ChangeReason, DateOnly ValidFrom, T Value)
{
    public int? CancelledBy { get; set; }
}

/// <summary>A person's stored address and name histories, read only for a person a 取消し (19/29/39) arrives for.</summary>
public sealed class StoredHistory
{
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

/// <summary>A person as the sync leaves them: the snapshot, the last 履歴番号 and the change log; new ones are inserted without a conflict check.</summary>
public sealed record PersonWrite(string AtenaNumber, ResidentSnapshot Snapshot, int HistoryNumber, string ChangeLog, bool IsNew);

/// <summary>Everything one chunk of the sync writes, in the chunk's transaction.</summary>
public sealed class JukiWrites
{
    public List<PersonWrite> People { get; } = [];
    /// <summary>個人番号 sealed anew, and whether the person had none stored (then it is inserted without a conflict check).</summary>
    public List<(Members.SealedNumber Number, bool IsNew)> Numbers { get; } = [];
    public List<HistoryEntry<(string? PostalCode, string Address, string? AddressSuffix)>> Addresses { get; } = [];
    public List<HistoryEntry<(string Name, string NameKana, string? CommonName)>> Names { get; } = [];
    /// <summary>Stored history rows a 取消し undid: (宛名番号, 履歴番号 undone, 履歴番号 of the 取消し).</summary>
    public List<(string AtenaNumber, int HistoryNumber, int CancelledBy)> Cancelled { get; } = [];
    public List<PendingRow> PendingAdded { get; } = [];
    public List<(string AtenaNumber, int HistoryNumber)> PendingRemoved { get; } = [];
    public List<FollowUp> FollowUps { get; } = [];
    /// <summary>Stored follow-ups of a cancelled change, withdrawn: (宛名番号, 履歴番号).</summary>
    public List<(string AtenaNumber, int HistoryNumber)> Withdrawn { get; } = [];
    public List<AuditEntry> Audit { get; } = [];

    /// <summary>Adds another's writes to these (they are written together, in one transaction).</summary>
    public void Add(JukiWrites other)
    {
        People.AddRange(other.People);
        Numbers.AddRange(other.Numbers);
        Addresses.AddRange(other.Addresses);
        Names.AddRange(other.Names);
        Cancelled.AddRange(other.Cancelled);
        PendingAdded.AddRange(other.PendingAdded);
        PendingRemoved.AddRange(other.PendingRemoved);
        FollowUps.AddRange(other.FollowUps);
        Withdrawn.AddRange(other.Withdrawn);
        Audit.AddRange(other.Audit);
    }
}
