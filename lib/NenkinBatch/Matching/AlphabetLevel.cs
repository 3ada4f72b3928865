namespace NenkinBatch.Matching;

/// <summary>How a row's name compared with the alphabet name of a person on file (a foreign resident).</summary>
public enum AlphabetLevel : sbyte
{
    /// <summary>Not compared: the person has no alphabet name, or the row has no name.</summary>
    Missing = -1,
    /// <summary>The same set of tokens (family and given names may swap).</summary>
    Agrees,
    /// <summary>Other tokens, or a kanji name in the row where the person has an alphabet name.</summary>
    Differs,
}
