namespace NenkinBatch.Domain;

/// <summary>資格: one period of 国民年金 membership, keyed by (宛名番号, 取得日).</summary>
public sealed record QualificationRecord(
    DateOnly AcquiredOn,
    int InsuredCategory,
    string? AcquisitionReason,
    DateOnly? LostOn,
    string? LossReason);
