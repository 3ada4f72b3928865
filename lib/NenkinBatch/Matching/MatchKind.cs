namespace NenkinBatch.Matching;

/// <summary>What kind of decision the matcher made for a row.</summary>
public enum MatchKind : byte
{
    /// <summary>One person, beyond doubt: the row may change that person's records.</summary>
    Automatic,
    /// <summary>Candidates exist but no safe decision: a clerk decides.</summary>
    Review,
    /// <summary>Nobody on file comes close.</summary>
    NotOnFile,
}
