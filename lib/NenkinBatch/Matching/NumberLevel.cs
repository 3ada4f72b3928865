namespace NenkinBatch.Matching;

/// <summary>How a row's 基礎年金番号, or its 個人番号 digest, compared with the person's.</summary>
public enum NumberLevel : sbyte
{
    /// <summary>One side has no number: no evidence either way.</summary>
    Missing = -1,
    Agrees,
    /// <summary>Both sides have a number and they differ: strong evidence against, not "missing".</summary>
    Differs,
}
