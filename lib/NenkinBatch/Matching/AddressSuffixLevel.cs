namespace NenkinBatch.Matching;

/// <summary>How a row's 方書 (building, room) compared with the person's: compared apart from the address, and weakly.</summary>
public enum AddressSuffixLevel : sbyte
{
    /// <summary>A side has no 方書 (or the row no address).</summary>
    Missing = -1,
    Equal,
    Different,
}
