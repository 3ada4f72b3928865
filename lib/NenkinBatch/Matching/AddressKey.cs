namespace NenkinBatch.Matching;

/// <summary>An address in canonical form, with its 方書 (building, room) apart: compared separately and weakly.</summary>
public sealed record AddressKey(string Place, string Numbers, string? Suffix)
{
    public string Canonical => Numbers.Length == 0 ? Place : $"{Place}{Numbers}";
}
