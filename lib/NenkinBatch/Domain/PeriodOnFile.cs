namespace NenkinBatch.Domain;

/// <summary>One 資格 period of a person on file, as reconcile compares and updates it.</summary>
public sealed record PeriodOnFile(DateOnly AcquiredOn, int InsuredCategory, string? AcquisitionReason, DateOnly? LostOn, string? LossReason, long UpdatedRunId);
