namespace NenkinBatch.Formats.Layouts;

/// <summary>
/// Reads fixed-length records of one size from a stream, with CRLF, LF or nothing between them and
/// an optional trailing EOF byte (0x1A). A last record shorter than the size is reported, not padded.
/// </summary>
public sealed class FixedRecordReader(Stream stream, int recordLength)
{
    private readonly byte[] _buffer = new byte[Math.Max(1 << 16, recordLength * 4)];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>The bytes of a record short of the size at the end of the file, when there was one.</summary>
    public int TruncatedLength { get; private set; }

    /// <summary>Returns the next whole record, or null at the end of the file.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (_start < _end && _buffer[_start] is (byte)'\r' or (byte)'\n' or 0x1A) _start++;
            if (_end - _start >= recordLength)
            {
                var record = new ReadOnlyMemory<byte>(_buffer, _start, recordLength);
                _start += recordLength;
                return record;
            }
            if (_eof)
            {
                TruncatedLength = _end - _start;
                return null;
            }
            // Keep the partial record, refill behind it.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0) _eof = true;
            _end += read;
        }
    }
}
