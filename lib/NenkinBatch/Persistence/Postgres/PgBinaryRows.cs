using System.Buffers.Binary;
using System.Text;

namespace NenkinBatch.Persistence.Postgres;

/// <summary>
/// Encodes rows in PostgreSQL's binary COPY format into a buffer, for a raw binary COPY stream.
/// A million-row file is 24 million values: <c>NpgsqlBinaryImporter</c>'s per-value writes, even synchronous and
/// typed, cost about three times the client CPU of these few big-endian writes, and the import up to a third more
/// time when the database shares the machine's cores (<c>tests/bench/copy.sh</c>: 100,000 list rows both ways).
/// </summary>
/// <remarks>
/// Its buffer comes from the shared pool and goes back, cleared, on dispose: a new 128 KiB array per COPY would land on
/// the large object heap and cost a full collection every few dozen chunks.
/// </remarks>
public sealed class PgBinaryRows : IDisposable
{
    private static readonly DateOnly PostgresEpoch = new(2000, 1, 1);
    private static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];
    private byte[] _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 17);

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public void Clear() => Length = 0;

    /// <summary>Sends what is encoded once it fills a 64 KiB write (the COPY stream's natural size) and starts again.</summary>
    public async ValueTask FlushIfFullAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (Length < 1 << 16) return;
        await stream.WriteAsync(Written, cancellationToken);
        Clear();
    }

    /// <summary>The 19-byte file header: signature, flags, header extension length.</summary>
    public void Header()
    {
        Signature.CopyTo(Reserve(Signature.Length));
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), 0);
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), 0);
    }

    public void Trailer() => BinaryPrimitives.WriteInt16BigEndian(Reserve(2), -1);

    public void StartRow(short fields) => BinaryPrimitives.WriteInt16BigEndian(Reserve(2), fields);

    public void Null() => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), -1);

    public void Text(string? value)
    {
        if (value is null) { Null(); return; }
        var length = Encoding.UTF8.GetByteCount(value);
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), length);
        Encoding.UTF8.GetBytes(value, Reserve(length));
    }

    public void Int16(short value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), 2);
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), value);
    }

    public void Int16(int? value)
    {
        if (value is { } v) Int16((short)v); else Null();
    }

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), 4);
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);
    }

    public void Int32(int? value)
    {
        if (value is { } v) Int32(v); else Null();
    }

    public void Bool(bool value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), 1);
        Reserve(1)[0] = value ? (byte)1 : (byte)0;
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), 8);
        BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);
    }

    /// <summary>A <c>timestamptz</c>: microseconds since 2000-01-01 UTC.</summary>
    public void Timestamp(DateTimeOffset value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), 8);
        BinaryPrimitives.WriteInt64BigEndian(Reserve(8), (value.UtcTicks - PostgresEpochTicks) / TimeSpan.TicksPerMicrosecond);
    }

    private static readonly long PostgresEpochTicks = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    public void Date(DateOnly? value)
    {
        if (value is not { } date) { Null(); return; }
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), 4);
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), date.DayNumber - PostgresEpoch.DayNumber);
    }

    public void Bytes(byte[]? value)
    {
        if (value is null) { Null(); return; }
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value.Length);
        value.CopyTo(Reserve(value.Length));
    }

    private Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length)
        {
            var larger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + count));
            _buffer.AsSpan(0, Length).CopyTo(larger);
            System.Buffers.ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
            _buffer = larger;
        }
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public void Dispose()
    {
        // Cleared: the rows held names, addresses and birth dates, and the pool hands the array to whoever asks next.
        if (_buffer.Length > 0) System.Buffers.ArrayPool<byte>.Shared.Return(_buffer, clearArray: true);
        _buffer = [];
        Length = 0;
    }
}
