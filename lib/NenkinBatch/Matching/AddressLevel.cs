namespace NenkinBatch.Matching;

/// <summary>
/// How a row's address compared with the person's, both in canonical form (see <see cref="AddressCanon"/>). A city or ward
/// written on both sides and different makes any address <c>Different</c>; one left out on a side is not compared.
/// </summary>
public enum AddressLevel : sbyte
{
    /// <summary>A side has no address.</summary>
    Missing = -1,
    /// <summary>Town and every house number equal once canonical.</summary>
    Equal,
    /// <summary>The same town and 丁目 (or, in a town without 丁目, the same 番地), another number after it: a neighbour.</summary>
    SamePlace,
    /// <summary>The same town, another 丁目 or 番地.</summary>
    SameTown,
    Different,
}
