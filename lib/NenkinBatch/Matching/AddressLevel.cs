namespace NenkinBatch.Matching;

/// <summary>How a row's address compared with the person's, both in canonical form (see <see cref="AddressCanon"/>).</summary>
public enum AddressLevel : sbyte
{
    /// <summary>The row has no address.</summary>
    Missing = -1,
    /// <summary>Place and house number equal once canonical.</summary>
    Equal,
    /// <summary>The same place (town and 丁目 written before the number), another house number.</summary>
    SamePlace,
    Different,
}
