using System.Buffers.Binary;
using System.Numerics;

namespace NenkinBatch.Formats;

/// <summary>
/// A record's identity for finding exact duplicates in one file: MurmurHash3 (x64, 128 bits) of its bytes. Equal
/// records share it, and with 128 bits nothing else does in practice; unlike SHA-256 it costs a few nanoseconds a
/// record, not a microsecond, and nobody gains by forging a collision in a list they could simply edit.
/// </summary>
public static class RecordDigest
{
    private const ulong C1 = 0x87c37b91114253d5;
    private const ulong C2 = 0x4cf5ad432745937f;

    public static UInt128 Of(ReadOnlySpan<byte> data)
    {
        ulong h1 = 0, h2 = 0;
        var blocks = data.Length / 16;
        for (var i = 0; i < blocks; i++)
        {
            var k1 = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 16));
            var k2 = BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 16 + 8));
            h1 ^= BitOperations.RotateLeft(k1 * C1, 31) * C2;
            h1 = (BitOperations.RotateLeft(h1, 27) + h2) * 5 + 0x52dce729;
            h2 ^= BitOperations.RotateLeft(k2 * C2, 33) * C1;
            h2 = (BitOperations.RotateLeft(h2, 31) + h1) * 5 + 0x38495ab5;
        }
        var tail = data[(blocks * 16)..];
        ulong t1 = 0, t2 = 0;
        for (var i = tail.Length - 1; i >= 8; i--) t2 = t2 << 8 | tail[i];
        for (var i = Math.Min(tail.Length, 8) - 1; i >= 0; i--) t1 = t1 << 8 | tail[i];
        if (tail.Length > 8) h2 ^= BitOperations.RotateLeft(t2 * C2, 33) * C1;
        if (tail.Length > 0) h1 ^= BitOperations.RotateLeft(t1 * C1, 31) * C2;

        h1 ^= (ulong)data.Length;
        h2 ^= (ulong)data.Length;
        h1 += h2;
        h2 += h1;
        h1 = Mix(h1);
        h2 = Mix(h2);
        h1 += h2;
        h2 += h1;
        return new UInt128(h2, h1);
    }

    private static ulong Mix(ulong k)
    {
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccd;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53;
        return k ^ k >> 33;
    }
}
