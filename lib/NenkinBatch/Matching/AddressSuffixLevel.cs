namespace NenkinBatch.Matching;

/// <summary>How a row's 方書 (building, room) compared with the person's: compared apart from the address, and weakly.</summary>
public enum AddressSuffixLevel : sbyte
{
    /// <summary>A side has no 方書 (or no address): a 方書 left out is no difference.</summary>
    Missing = -1,
    /// <summary>The same 方書 once normalised, or a 方書 that is a room number alone (`1-2-3-304`) and the other's room number.</summary>
    Equal,
    Different,
}
