namespace NenkinBatch.Domain.Retention;

/// <summary>
/// What decides a person's retention, as the store holds it at one moment: whether they are a 住民 (住民状態 1), their 消除日,
/// their last 資格喪失日, whether any 資格 is still open, whether a 個人番号 is stored, and whether a legal hold is in force.
/// </summary>
public sealed record PersonRetentionFacts(
    string AtenaNumber,
    int ResidentStatus,
    DateOnly? RemovedOn,
    DateOnly? LastLostOn,
    bool HasOpenQualification,
    bool HasIndividualNumber,
    bool Held)
{
    public const int Resident = 1;
}
