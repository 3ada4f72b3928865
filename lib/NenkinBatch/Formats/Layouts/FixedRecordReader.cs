namespace NenkinBatch.Formats.Layouts;

/// <summary>
/// Reads fixed-length records of one size from a stream, with CRLF, LF or nothing between them and
/// an optional trailing EOF byte (0x1A). A last record shorter than the size is reported, not padded;
/// in a file whose records end with line ends, a record whose line is longer or shorter than the size
/// is reported as such, not read on as a shifted record.
/// </summary>
public sealed class FixedRecordReader(Stream stream, int recordLength)
{
    private readonly byte[] _buffer = new byte[Math.Max(1 << 16, recordLength * 4)];
    private int _start;
    private int _end;
    private bool _eof;
    // Decided by what follows the first record: a line end, or the next record at once.
    private bool? _lineEnded;

    /// <summary>The number of the last record returned, from 1 (the header record); its line when records end with line ends.</summary>
    public long Number { get; private set; }

    /// <summary>The bytes of a record short of the size at the end of the file, when there was one.</summary>
    public int TruncatedLength { get; private set; }

    /// <summary>The record whose line is not <c>recordLength</c> bytes, when reading stopped at one: its number and its length (a lower bound when <c>AtLeast</c>).</summary>
    public (long Number, int Length, bool AtLeast)? WrongLength { get; private set; }

    /// <summary>Returns the next whole record, or null at the end of the file or at a record of the wrong length.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (_start < _end && _buffer[_start] is (byte)'\r' or (byte)'\n' or 0x1A) _start++;
            var available = _end - _start;
            // The record and the byte after it, which says whether the record ended where it should.
            if (available > recordLength || (_eof && available == recordLength))
            {
                if (LengthOfWrongLine(available) is { } wrong)
                {
                    WrongLength = (Number + 1, wrong.Length, wrong.AtLeast);
                    return null;
                }
                var record = new ReadOnlyMemory<byte>(_buffer, _start, recordLength);
                _start += recordLength;
                Number++;
                return record;
            }
            if (_eof)
            {
                TruncatedLength = available;
                return null;
            }
            // Keep the partial record, refill behind it.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, available);
            _end = available;
            _start = 0;
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0) _eof = true;
            _end += read;
        }
    }

    /// <summary>The length of the record's line when records end with line ends and this one's does not come right after its bytes.</summary>
    private (int Length, bool AtLeast)? LengthOfWrongLine(int available)
    {
        var record = _buffer.AsSpan(_start, recordLength);
        // CP932 never has CR or LF inside a character, so a line end inside the record ends its line.
        var early = record.IndexOfAny((byte)'\r', (byte)'\n');
        if (early >= 0) return (early, false);
        if (available == recordLength) return null;
        var next = _buffer[_start + recordLength];
        var ended = next is (byte)'\r' or (byte)'\n' or 0x1A;
        _lineEnded ??= ended;
        if (ended || _lineEnded == false) return null;
        var rest = _buffer.AsSpan(_start, available).IndexOfAny((byte)'\r', (byte)'\n');
        return rest >= 0 ? (rest, false) : (available, true);
    }
}
