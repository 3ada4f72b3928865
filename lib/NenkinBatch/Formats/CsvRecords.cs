using System.Text;
using CsvHelper;

namespace NenkinBatch.Formats;

/// <summary>
/// The records of an input CSV file as the common input rules read them (docs/formats.md): RFC 4180, each numbered by the
/// file's own line it starts on (the header is line 1), blank lines and a line of EOF bytes (0x1A) skipped, every field
/// decoded in the file's encoding. A quote never closed and a record past <see cref="MaxRecordBytes"/> refuse the file:
/// from there on no line reads as the row it holds. Reads synchronously (see <see cref="Jps.JpsResultReader"/>).
/// </summary>
public sealed class CsvRecords : IAsyncDisposable
{
    /// <summary>
    /// Far past any record of these layouts, and past a value of millions of characters that is still a row to reject (its
    /// field says what is wrong); a quote left open in a large file would otherwise hold the rest of the file in memory as one
    /// field before it could be refused.
    /// </summary>
    public const int MaxRecordBytes = 16 << 20;

    private readonly string _file;
    private readonly CsvReader _csv;
    private readonly Encoding _encoding;
    private CsvMalformedReason? _malformed;

    public CsvRecords(Stream stream, Encoding encoding, string file)
    {
        _file = file;
        _encoding = encoding;
        _csv = CsvReader.Create(stream, Options(reason => _malformed ??= reason), leaveOpen: true);
    }

    /// <summary>The fields of the current record, decoded, as written (not trimmed).</summary>
    public string[] Fields { get; private set; } = [];

    /// <summary>The file's line the current record starts on, as an editor numbers it.</summary>
    public long Line { get; private set; }

    /// <summary>The current record's bytes as the file has them.</summary>
    public ReadOnlySpan<byte> RawRecord => _csv.RawRecord;

    /// <summary>The current record breaks the quoting rules (<c>x"y</c>, <c>"x"y</c>): its values may not be what was meant, so the row is an error.</summary>
    public RowProblem? QuotingProblem => _malformed is null ? null
        : RowProblem.Error(_file, Line, null, null, "引用符（\"）の使い方が正しくありません（引用符で囲んだ項目の中の \" は \"\" と書きます）。項目の値が正しく読めません");

    /// <summary>Moves to the next record that is not blank; false at the end of the file.</summary>
    /// <exception cref="InputRejectedException">A quote is never closed, or a record does not end within <see cref="MaxRecordBytes"/>.</exception>
    public bool Read()
    {
        if (!Skim()) return false;
        var fields = new string[_csv.FieldCount];
        for (var i = 0; i < fields.Length; i++) fields[i] = _encoding.GetString(_csv.GetSpan(i));
        Fields = fields;
        return true;
    }

    /// <summary>
    /// Moves to the next record that is not blank, like <see cref="Read"/>, but decodes no field: <see cref="RawField"/> gives
    /// the bytes of the one a caller needs. False at the end of the file.
    /// </summary>
    public bool Skim()
    {
        while (Next())
        {
            // A blank line, or one of blanks and EOF bytes (0x1A), is no record.
            if (_csv.FieldCount == 1 && _encoding.GetString(_csv.GetSpan(0)).AsSpan().Trim(" \t\u3000\u001a").IsEmpty) continue;
            return true;
        }
        return false;
    }

    /// <summary>The number of fields of the record <see cref="Skim"/> moved to.</summary>
    public int FieldCount => _csv.FieldCount;

    /// <summary>A field of the record <see cref="Skim"/> moved to, as the file's bytes (quotes undone).</summary>
    public ReadOnlySpan<byte> RawField(int index) => _csv.GetSpan(index);

    /// <summary>Reads through the rest of the file without decoding a field: whatever would refuse it throws here.</summary>
    public void CheckToEnd(CancellationToken cancellationToken)
    {
        while (Next()) cancellationToken.ThrowIfCancellationRequested();
    }

    private bool Next()
    {
        _malformed = null;
        try
        {
            if (!_csv.Read()) return false;
        }
        catch (CsvFormatException e)
        {
            // Only a record past MaxRecordBytes throws here: malformed quoting is recovered and reported per record.
            throw new InputRejectedException(_file,
                $"{e.LineNumber}行目から始まる行が {MaxRecordBytes >> 20} MB を超えても終わりません（引用符（\"）が閉じられていない可能性があります）。",
                "元のファイルを取り直すか、送付元に正しいファイルを依頼してください。");
        }
        Line = _csv.LineNumber;
        if (_malformed == CsvMalformedReason.UnterminatedQuote)
            throw new InputRejectedException(_file,
                $"{Line}行目で始まる引用符（\"）が閉じられていないため、そこからファイルの最後までが1つの項目になり、後の行を読めません（ファイルが途中で切れているか、引用符が余分です）。",
                "元のファイルを取り直すか、送付元に正しいファイルを依頼してください。");
        return true;
    }

    public ValueTask DisposeAsync() => _csv.DisposeAsync();

    private static CsvReaderOptions Options(Action<CsvMalformedReason> onMalformed) => new()
    {
        HasHeader = false,
        Separator = ',',
        Mode = CsvMode.Rfc4180,
        AllowLineBreaksInQuotes = true,
        SkipEmptyLines = true,
        TrimWhitespace = false,
        TrackLineNumbers = true,
        // Values never appear in the parser's own messages: they may be personal data.
        IncludeValuesInExceptions = false,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
        OnMalformedRecord = record => onMalformed(record.Reason),
        MaxRecordSize = MaxRecordBytes,
    };
}
