namespace NenkinBatch.Matching;

/// <summary>The score of a row against a candidate, with every field's evidence.</summary>
public sealed record Comparison(Candidate Candidate, double Score, IReadOnlyList<Evidence> Evidence)
{
    public string Explain() => string.Join("; ", Evidence);
}
