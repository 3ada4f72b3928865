using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Spreadsheet;

namespace NenkinBatch.Formats.Reports;

/// <summary>
/// Writes one worksheet part: its frame — everything but the rows: views, columns, protection, filter, validations, print
/// setup — as the Open XML SDK serialises the <see cref="Worksheet"/> it is given (with an empty <see cref="SheetData"/>), and
/// the rows in between as UTF-8 bytes straight into the part. A report sheet has hundreds of thousands of rows of twenty
/// cells: through the SDK's streaming writer every cell cost attribute objects and text conversions, and writing the rows
/// was most of the workbook's time. What a row may contain is small (inline strings, numbers, empty styled cells), so it
/// is written here, escaped as XML requires; the tests read every sheet back through the SDK and through LibreOffice.
/// The bytes are compressed (written into the zip entry) on a thread of their own, a buffer behind the rows being made.
/// </summary>
internal sealed partial class WorksheetWriter : IDisposable
{
    // A cell's text is at most 32,767 characters, each at most 6 bytes as written (an escaped character): one always fits.
    private const int BufferSize = 1 << 18;

    private static readonly SearchValues<char> Escaped = SearchValues.Create("&<>\r");

    private readonly Stream _output;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private readonly BlockingCollection<(byte[] Buffer, int Length)> _full = new(boundedCapacity: 4);
    private readonly Thread _compressor;
    // Set by the compressor, read by the writer.
    private volatile Exception? _failed;
    private readonly byte[] _tail;
    private readonly byte[][] _letters;
    private readonly byte[] _rowStart, _rowEnd, _cellStart, _inlineStart, _inlinePreserveStart, _inlineEnd, _valueStart, _valueEnd;
    private readonly byte[] _rowNumber = new byte[20];
    private int _rowNumberLength;
    private int _used;
    private int _column;

    /// <summary>Starts the part with <paramref name="frame"/>'s XML up to its rows; <paramref name="width"/> is the most cells a row has.</summary>
    public WorksheetWriter(Stream output, Worksheet frame, int width)
    {
        _output = output;
        var xml = frame.OuterXml;
        var sheetData = EmptySheetData().Match(xml);
        if (!sheetData.Success) throw new InvalidOperationException("the worksheet frame has no empty sheetData");
        var p = sheetData.Groups["prefix"].Value;
        _rowStart = Bytes($"<{p}row r=\"");
        _rowEnd = Bytes($"</{p}row>");
        _cellStart = Bytes($"<{p}c r=\"");
        _inlineStart = Bytes($" t=\"inlineStr\"><{p}is><{p}t>");
        _inlinePreserveStart = Bytes($" t=\"inlineStr\"><{p}is><{p}t xml:space=\"preserve\">");
        _inlineEnd = Bytes($"</{p}t></{p}is></{p}c>");
        _valueStart = Bytes($"><{p}v>");
        _valueEnd = Bytes($"</{p}v></{p}c>");
        _letters = Enumerable.Range(0, width).Select(i => Bytes(ReconcileWorkbook.ColumnName(i))).ToArray();
        _tail = Bytes($"</{p}sheetData>" + xml[(sheetData.Index + sheetData.Length)..]);
        // Once the frame is known good: a constructor that throws leaves no thread waiting for rows.
        _compressor = new Thread(Compress) { IsBackground = true, Name = "worksheet-compress" };
        _compressor.Start();
        Append(Bytes("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n" + xml[..sheetData.Index] + $"<{p}sheetData>"));
    }

    [GeneratedRegex("<(?<prefix>[A-Za-z_][\\w.-]*:)?sheetData ?/>")]
    private static partial Regex EmptySheetData();

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public void StartRow(long number, double? height = null)
    {
        number.TryFormat(_rowNumber, out _rowNumberLength, default, CultureInfo.InvariantCulture);
        _column = 0;
        Ensure(96);
        Append(_rowStart);
        Append(_rowNumber.AsSpan(0, _rowNumberLength));
        if (height is { } h)
        {
            Append("\" ht=\""u8);
            h.TryFormat(_buffer.AsSpan(_used), out var written, "0.##", CultureInfo.InvariantCulture);
            _used += written;
            Append("\" customHeight=\"1"u8);
        }
        Append("\">"u8);
    }

    public void EndRow()
    {
        Ensure(16);
        Append(_rowEnd);
    }

    /// <summary>A cell with a style and no value (an input cell, a missing date).</summary>
    public void Empty(uint style)
    {
        StartCell(style);
        Append("/>"u8);
    }

    /// <summary>A text, as an inline string: never a formula, whatever it begins with. An empty text is an empty cell.</summary>
    public void Text(string text, uint style)
    {
        if (text.Length == 0)
        {
            Empty(style);
            return;
        }
        text = XmlText.Safe(text);
        StartCell(style);
        Ensure(text.Length * 6 + 64);
        Append(char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]) ? _inlinePreserveStart : _inlineStart);
        var rest = text.AsSpan();
        while (rest.Length > 0)
        {
            var special = rest.IndexOfAny(Escaped);
            var run = special < 0 ? rest : rest[..special];
            _used += Encoding.UTF8.GetBytes(run, _buffer.AsSpan(_used));
            if (special < 0) break;
            Append(rest[special] switch
            {
                '&' => "&amp;"u8,
                '<' => "&lt;"u8,
                '>' => "&gt;"u8,
                // A line break is one LF in a cell, as Excel writes it and as any XML reader would read a CR.
                _ => special + 1 < rest.Length && rest[special + 1] == '\n' ? ""u8 : "\n"u8,
            });
            rest = rest[(special + 1)..];
        }
        Append(_inlineEnd);
    }

    public void Number(long value, uint style)
    {
        StartCell(style);
        Append(_valueStart);
        value.TryFormat(_buffer.AsSpan(_used), out var written, default, CultureInfo.InvariantCulture);
        _used += written;
        Append(_valueEnd);
    }

    /// <summary>A number, written so that it reads back as the same double.</summary>
    public void Number(double value, uint style)
    {
        StartCell(style);
        Append(_valueStart);
        value.TryFormat(_buffer.AsSpan(_used), out var written, "R", CultureInfo.InvariantCulture);
        _used += written;
        Append(_valueEnd);
    }

    private void StartCell(uint style)
    {
        Ensure(128);
        Append(_cellStart);
        Append(_letters[_column++]);
        Append(_rowNumber.AsSpan(0, _rowNumberLength));
        Append("\""u8);
        if (style != 0)
        {
            Append(" s=\""u8);
            style.TryFormat(_buffer.AsSpan(_used), out var written, default, CultureInfo.InvariantCulture);
            _used += written;
            Append("\""u8);
        }
    }

    /// <summary>Ends the rows, writes the rest of the frame and waits until every byte is in the part.</summary>
    public void Finish()
    {
        Append(_tail);
        Flush();
        _full.CompleteAdding();
        _compressor.Join();
        ThrowIfFailed();
    }

    private void Compress()
    {
        foreach (var (buffer, length) in _full.GetConsumingEnumerable())
        {
            try
            {
                if (_failed is null) _output.Write(buffer, 0, length);
            }
            catch (Exception e)
            {
                // Kept for the writing side, which throws it at its next buffer; the rest is only taken off the queue.
                _failed = e;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private void ThrowIfFailed()
    {
        if (_failed is { } failed) ExceptionDispatchInfo.Capture(failed).Throw();
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _used)
        {
            Flush();
            while (bytes.Length > _buffer.Length)
            {
                bytes[.._buffer.Length].CopyTo(_buffer);
                _used = _buffer.Length;
                Flush();
                bytes = bytes[_buffer.Length..];
            }
        }
        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    private void Ensure(int bytes)
    {
        if (bytes > _buffer.Length - _used) Flush();
    }

    private void Flush()
    {
        ThrowIfFailed();
        if (_used == 0) return;
        _full.Add((_buffer, _used));
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        _used = 0;
    }

    public void Dispose()
    {
        _full.CompleteAdding();
        _compressor.Join();
        _full.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}

/// <summary>Text as XML can carry it.</summary>
internal static class XmlText
{
    /// <summary>
    /// The text with what XML cannot carry (control characters, a lone surrogate) shown as U+FFFD, cut to a cell's 32,767
    /// characters: a stray byte in a list must not make the whole workbook unreadable.
    /// </summary>
    public static string Safe(string text)
    {
        if (text.Length > 32_767) text = text[..32_767];
        var bad = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (!System.Xml.XmlConvert.IsXmlChar(c) || char.IsSurrogate(c))
            {
                bad = i;
                break;
            }
        }
        if (bad < 0) return text;
        var builder = new StringBuilder(text, 0, bad, text.Length);
        for (var i = bad; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) builder.Append(c).Append(text[++i]);
            else builder.Append(System.Xml.XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c) ? c : '\uFFFD');
        }
        return builder.ToString();
    }
}
