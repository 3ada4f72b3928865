namespace NenkinBatch.Matching;

/// <summary>A scored candidate: the whole score, and the part the 4情報 alone give (numbers left out).</summary>
public readonly record struct Scored(int Person, double Score, double IdentityScore, Levels Levels);
