using System.Text;
using CsvHelper;

namespace NenkinBatch.Formats;

/// <summary>
/// The one way the suite writes CSV, whatever the file: RFC 4180 through CsvHelper, records ending in CRLF, and a text
/// cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) written as text: prefixed with
/// <c>'</c> and quoted. Files an operator opens in Excel are UTF-8 with a BOM (<see cref="ForSpreadsheet"/>).
/// </summary>
public sealed class CsvOutput : IDisposable, IAsyncDisposable
{
    private static readonly CsvWriterOptions Utf8Options = Options(byteOrderMark: false);
    private static readonly CsvWriterOptions Utf8WithBomOptions = Options(byteOrderMark: true);

    private static CsvWriterOptions Options(bool byteOrderMark) => new()
    {
        NewLine = "\r\n",
        Injection = CsvInjection.Escape,
        InjectionEscape = '\'',
        WriteByteOrderMark = byteOrderMark,
        // Lists mix records of different widths only by mistake; every writer here writes one header's worth per record.
        ValidateFieldCount = true,
    };

    private readonly CsvWriter _csv;
    private readonly Stream? _stream;

    private CsvOutput(CsvWriter csv, Stream? stream)
    {
        _csv = csv;
        _stream = stream;
    }

    /// <summary>A new file for a clerk or an operator to open in a spreadsheet: UTF-8 with a BOM.</summary>
    public static CsvOutput ForSpreadsheet(string path, int bufferSize = 1 << 16)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, bufferSize);
        return new CsvOutput(CsvWriter.Create(stream, Utf8WithBomOptions, leaveOpen: false), stream);
    }

    /// <summary>A new file in the given encoding, without a BOM (the layouts other systems read: UTF-8 or CP932).</summary>
    public static CsvOutput ForSystem(string path, Encoding encoding)
    {
        var writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), encoding, 1 << 16);
        return new CsvOutput(CsvWriter.Create(writer, Utf8Options, leaveOpen: false), null);
    }

    public void Write(params ReadOnlySpan<string> fields)
    {
        foreach (var field in fields) _csv.WriteField(field);
        _csv.EndRecord();
    }

    public void Write(IEnumerable<string> fields)
    {
        foreach (var field in fields) _csv.WriteField(field);
        _csv.EndRecord();
    }

    /// <summary>Where the next record will start, in bytes (a spreadsheet file only).</summary>
    public long Position
    {
        get
        {
            _csv.Flush();
            return SeekableStream.Position;
        }
    }

    /// <summary>Cuts the file back to a <see cref="Position"/> taken earlier: what was written after it is gone.</summary>
    public void TruncateTo(long position)
    {
        _csv.Flush();
        SeekableStream.SetLength(position);
        SeekableStream.Position = position;
    }

    private Stream SeekableStream => _stream ?? throw new InvalidOperationException("Only a spreadsheet file can be cut back.");

    public void Dispose() => _csv.Dispose();

    public ValueTask DisposeAsync() => _csv.DisposeAsync();
}
