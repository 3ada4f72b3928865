using NenkinBatch.Domain;

namespace NenkinBatch.Matching;

/// <summary>What the city holds of one candidate person, as the matcher compares it.</summary>
public sealed record Candidate(
    string AtenaNumber, string? BasicPensionNumber, string Name, string NameKana, BirthDate BirthDate, int Sex,
    string Address, byte[]? NumberDigest, bool Foreign);
