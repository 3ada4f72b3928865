namespace NenkinBatch.Matching;

/// <summary>
/// The two thresholds and the margin a best candidate must keep over the next one (docs/domain.md, "Matching people,
/// as implemented" → "The decision"). Configuration (<c>reconcile:autoMatchScore</c>, <c>reconcile:reviewScore</c>,
/// <c>reconcile:tieMargin</c>); the defaults are set on generated cities with the accuracy script
/// (tests/accuracy/run.sh) and explained in weights.json's notes.
/// </summary>
public sealed record MatchThresholds(double AutoMatch = 22, double Review = 8, double TieMargin = 8)
{
    public static MatchThresholds Default { get; } = new();
}
