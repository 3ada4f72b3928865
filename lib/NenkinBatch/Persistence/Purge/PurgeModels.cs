using NenkinBatch.Domain.Retention;

namespace NenkinBatch.Persistence.Purge;

/// <summary>Plan states (<c>purge_plan.status</c>).</summary>
public static class PlanStatus
{
    /// <summary>Items stored, the report not yet written: never executed (the next plan run removes it).</summary>
    public const string Planning = "PLANNING";
    public const string Planned = "PLANNED";
    /// <summary>An execute has begun; the same command continues it.</summary>
    public const string Executing = "EXECUTING";
    public const string Executed = "EXECUTED";
}

/// <summary>What a plan names for erasure, before it is stored.</summary>
public readonly record struct PlannedItem(RecordKind Kind, string Key, DateOnly EventDate);

/// <summary>One stored item of a plan; its key is null once a person's item is done (the plan keeps nothing it erased).</summary>
public sealed record PlanItem(long Seq, RecordKind Kind, string? Key, DateOnly EventDate);

/// <summary>How an item ended: erased (logged), or left with the reason (re-checked and no longer due, held, referenced, gone).</summary>
public sealed record ItemOutcome(long Seq, bool Deleted, string? Reason, bool ClearKey);

/// <summary>One purge log row: never the key, only its keyed digest.</summary>
public sealed record ErasureEntry(long Seq, RecordKind Kind, string KeyDigest, string Rule, DateOnly EventDate, int PeriodYears);

/// <summary>A stored plan.</summary>
public sealed record PurgePlanRecord(long PlanId, long PlannedRunId, DateOnly AsOf, string Policy, string PolicyDigest, long ItemCount, long PersonCount,
    long PersonsOnFile, string Counts, long HeldCount, string? ReportCsv, string? ReportXlsx, string Status, DateTimeOffset CreatedAt);

/// <summary>A legal hold (訴訟・照会等による保存の継続).</summary>
public sealed record PurgeHold(long HoldId, string Kind, string Key, string Reason, DateOnly Until, long AddedRunId, DateTimeOffset AddedAt,
    DateTimeOffset? RemovedAt, string? RemovedReason)
{
    public const string PersonKind = "person";
    public const string JpsFileKind = "jpsFile";

    public bool InForceOn(DateOnly date) => RemovedAt is null && Until >= date;
}

/// <summary>A purge log row found for a key: when, by which plan and run, under which rule.</summary>
public sealed record ErasureRecord(long PlanId, long RunId, string Kind, string Rule, DateOnly EventDate, int PeriodYears, DateTimeOffset DeletedAt);

/// <summary>A person's retention facts with what a plan's report shows of them (never the 個人番号).</summary>
public sealed record PersonOnRecord(PersonRetentionFacts Facts, string Name, string NameKana, string Address, string? AddressSuffix, bool DisclosureBlock);
