namespace NenkinBatch.Matching;

/// <summary>How a row's sex compared with the person's (always compared).</summary>
public enum SexLevel : sbyte
{
    Agrees,
    Differs,
}
