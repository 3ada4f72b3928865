namespace NenkinBatch.Matching;

/// <summary>What the matcher decided for one row, and why.</summary>
public sealed record MatchDecision(MatchKind Kind, Scored? Best, IReadOnlyList<Scored> Others, string? ReviewReason)
{
    public int Person => Best?.Person ?? -1;
}
