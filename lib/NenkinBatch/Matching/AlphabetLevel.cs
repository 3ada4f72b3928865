namespace NenkinBatch.Matching;

/// <summary>How a row's name compared with the alphabet name of a person on file (a foreign resident).</summary>
public enum AlphabetLevel : sbyte
{
    /// <summary>Not compared: the person has no alphabet name, or the row has no name.</summary>
    Missing = -1,
    /// <summary>The same set of tokens (family and given names may swap).</summary>
    Agrees,
    /// <summary>
    /// As many tokens, each a token of the other but for a clerk's slip: one letter wrong, missing, doubled or two swapped
    /// (two in a token of eight or more letters). Never agreement: it alone makes no match automatic.
    /// </summary>
    Similar,
    /// <summary>One side has one more token (a middle or second given name left out), the others the same or similar.</summary>
    NameDropped,
    /// <summary>Other tokens, or a kanji name in the row where the person has an alphabet name.</summary>
    Differs,
}
