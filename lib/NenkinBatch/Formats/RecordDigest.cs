using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NenkinBatch.Formats;

/// <summary>A record's identity for finding exact duplicates in one file: 128 bits of its SHA-256, so nothing else shares it in practice.</summary>
public static class RecordDigest
{
    public static UInt128 Of(ReadOnlySpan<byte> record)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(record, hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }
}
