using System.Globalization;

namespace NenkinBatch.Matching;

/// <summary>One field's part in a decision: the level reached and its weight — the 根拠 a clerk reads.</summary>
public sealed record Evidence(string Field, string Level, double Weight)
{
    public override string ToString() => $"{Field}{Level}({Weight.ToString("+0.0;-0.0", CultureInfo.InvariantCulture)})";
}
