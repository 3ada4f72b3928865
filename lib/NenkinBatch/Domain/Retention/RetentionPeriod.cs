namespace NenkinBatch.Domain.Retention;

/// <summary>How long one kind of record is kept (保存期間), counted from an event, and the floor no city may go below.</summary>
public sealed record RetentionPeriod(RecordKind Kind, int Years, int FloorYears, string CountsFrom)
{
    /// <summary>The last day the record is kept: the anniversary itself is still within the period.</summary>
    public DateOnly KeptThrough(DateOnly eventDate) => eventDate.AddYears(Years);

    /// <summary>
    /// Whether a record whose period started on <paramref name="eventDate"/> may be erased on <paramref name="asOf"/>: only from the
    /// day after its last kept day. An early deletion cannot be undone, so the boundary falls on the keeping side.
    /// </summary>
    public bool IsPast(DateOnly eventDate, DateOnly asOf) => asOf > KeptThrough(eventDate);

    /// <summary>The rule in words, as the plan's report and the purge log name it.</summary>
    public string Rule => $"{RecordKinds.Name(Kind)}: {CountsFrom}から{Years}年";
}
