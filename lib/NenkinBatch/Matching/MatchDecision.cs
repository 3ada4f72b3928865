namespace NenkinBatch.Matching;

/// <summary>
/// What the matcher decided for one row, and why. <see cref="ReviewReason"/> says why the row goes to a clerk; on an
/// automatic decision it is empty, unless the decision is a clerk's own from an earlier list, which it then names.
/// </summary>
public sealed record MatchDecision(MatchKind Kind, Scored? Best, IReadOnlyList<Scored> Others, string? ReviewReason)
{
    public int Person => Best?.Person ?? -1;
}
