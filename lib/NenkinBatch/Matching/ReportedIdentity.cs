namespace NenkinBatch.Matching;

/// <summary>What JPS says of the person a row is about.</summary>
public sealed record ReportedIdentity(string? BasicPensionNumber, string KanaName, string? KanjiName, DateOnly BirthDate, int Sex, string? Address, byte[]? NumberDigest);
