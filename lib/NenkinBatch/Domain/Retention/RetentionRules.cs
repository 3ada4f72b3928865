namespace NenkinBatch.Domain.Retention;

/// <summary>
/// When a person, or their 個人番号 alone, has passed its period (docs/domain.md, "Retention"). The plan and the re-check at the
/// moment of deletion both ask here, so what execute deletes is decided by the same rule that planned it.
/// </summary>
public static class RetentionRules
{
    /// <summary>
    /// The event a person's period counts from: the later of the 消除日 and the last 資格喪失日. None while the person is a 住民 or a
    /// 資格 is open (never erased then), nor when neither date is known (nothing to count from: kept).
    /// </summary>
    public static DateOnly? PersonEvent(PersonRetentionFacts facts)
    {
        if (facts.ResidentStatus == PersonRetentionFacts.Resident || facts.HasOpenQualification) return null;
        return (facts.RemovedOn, facts.LastLostOn) switch
        {
            ({ } removed, { } lost) => removed > lost ? removed : lost,
            ({ } removed, null) => removed,
            (null, { } lost) => lost,
            _ => null,
        };
    }

    /// <summary>The person is past their period and not held: the whole person goes (their 個人番号 with them).</summary>
    public static bool PersonDue(RetentionPolicy policy, PersonRetentionFacts facts, DateOnly asOf, out DateOnly eventDate)
    {
        eventDate = default;
        if (facts.Held || PersonEvent(facts) is not { } counted) return false;
        eventDate = counted;
        return policy[RecordKind.Person].IsPast(counted, asOf);
    }

    /// <summary>
    /// The person is kept, but their 個人番号 is past its own period from the 消除日 (番号法第20条: no number beyond need): the number
    /// alone goes. Never while the person is a 住民 or a 資格 is open, nor while held.
    /// </summary>
    public static bool IndividualNumberAloneDue(RetentionPolicy policy, PersonRetentionFacts facts, DateOnly asOf, out DateOnly eventDate) =>
        IndividualNumberPast(policy, facts, asOf, out eventDate) && !PersonDue(policy, facts, asOf, out _);

    /// <summary>
    /// The person's 個人番号 is past its own period from the 消除日 (whatever becomes of the person): what execute re-checks for an item
    /// that names the number alone.
    /// </summary>
    public static bool IndividualNumberPast(RetentionPolicy policy, PersonRetentionFacts facts, DateOnly asOf, out DateOnly eventDate)
    {
        eventDate = default;
        if (facts.Held || !facts.HasIndividualNumber || PersonEvent(facts) is null || facts.RemovedOn is not { } removed) return false;
        eventDate = removed;
        return policy[RecordKind.IndividualNumber].IsPast(removed, asOf);
    }

    /// <summary>Why a person (or their number) is not due now, in words for the execute's list of items left.</summary>
    public static string WhyKept(RetentionPolicy policy, PersonRetentionFacts facts, DateOnly asOf, RecordKind kind)
    {
        if (facts.Held) return "保存の継続（ホールド）中";
        if (facts.ResidentStatus == PersonRetentionFacts.Resident) return "住民に戻っている";
        if (facts.HasOpenQualification) return "資格が続いている";
        if (kind == RecordKind.IndividualNumber && !facts.HasIndividualNumber) return "個人番号がもうない";
        if (PersonEvent(facts) is not { } counted) return "起算日（消除日・資格喪失日）がない";
        var from = kind == RecordKind.IndividualNumber && facts.RemovedOn is { } removed ? removed : counted;
        return $"保存期間が満了していない（{CalendarDate.ToIso(policy[kind].KeptThrough(from))} まで保存）";
    }
}
