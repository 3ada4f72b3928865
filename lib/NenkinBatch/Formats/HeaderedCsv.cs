using CsvHelper;

namespace NenkinBatch.Formats;

/// <summary>One data record of a CSV file with a header line: its line number and fields by column name.</summary>
public sealed class HeaderedRecord(long line, string[] fields, int[] index, string[] columns, UInt128 digest)
{
    public long Line { get; } = line;
    /// <summary>128 bits of the SHA-256 of the record's bytes: exact duplicates share it.</summary>
    public UInt128 Digest { get; } = digest;
    public int FieldCount => fields.Length;
    public int ExpectedCount { get; } = index.Max() + 1;

    /// <summary>The cleaned field of the column at <paramref name="column"/> in the reader's column list; null when empty or missing.</summary>
    public string? this[int column] => index[column] < fields.Length ? FieldText.Clean(fields[index[column]]) : null;

    public string ColumnName(int column) => columns[column];

    /// <summary>
    /// A parser over this record's fields in the layout's order (the reader asked for the layout's labels as columns),
    /// already holding the error of a record cut short.
    /// </summary>
    public Layouts.FieldParser Parser(Layouts.Layout layout, Domain.Codes.CodeTables codes, string file)
    {
        var values = new string?[columns.Length];
        for (var i = 0; i < values.Length; i++) values[i] = this[i];
        var parser = new Layouts.FieldParser(layout, codes, file, Line).With(values);
        if (FieldCount < ExpectedCount)
            parser.Problems.Add(RowProblem.Error(file, Line, null, null, $"項目数が {FieldCount} で、見出しの {ExpectedCount} に足りません（行が途中で切れています）"));
        return parser;
    }
}

/// <summary>
/// The CSV layouts of the city's own systems (members-csv, juki-change-csv): UTF-8, a header line
/// naming the columns in any order, RFC 4180 quoting. Streams; skips what an earlier run committed.
/// </summary>
public static class HeaderedCsv
{
    /// <summary>RFC 4180; values never appear in the parser's own exceptions (they may be personal data).</summary>
    public static readonly CsvReaderOptions ReaderOptions = new()
    {
        HasHeader = false,
        Separator = ',',
        Mode = CsvMode.Rfc4180,
        AllowLineBreaksInQuotes = true,
        SkipEmptyLines = true,
        TrimWhitespace = false,
        TrackLineNumbers = true,
        IncludeValuesInExceptions = false,
        MalformedData = CsvMalformedDataHandling.Recover,
        FieldCountMismatch = CsvFieldCountHandling.Allow,
    };

    public static async IAsyncEnumerable<HeaderedRecord> ReadAsync(string path, string layoutName, string[] columns, long skipThroughLine, Action<Stream>? onOpen,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = InputFile.DisplayName(path);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        onOpen?.Invoke(stream);
        await using var csv = CsvReader.Create(stream, ReaderOptions, leaveOpen: true);

        // Synchronous reads: see JpsResultReader (a pool-thread hop per buffer costs more than the read).
        if (!csv.Read())
            throw new InputRejectedException(file, "ファイルが空です。", $"{layoutName} の見出し行とデータを含むファイルを指定してください。");
        var index = HeaderIndex(file, layoutName, Fields(csv), columns);

        long line = 0;
        while (csv.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fields = Fields(csv);
            if (fields.Length == 1 && fields[0] is "\u001a" or "") continue;
            line++;
            if (line <= skipThroughLine) continue;
            yield return new HeaderedRecord(line, fields, index, columns, RecordDigest.Of(csv.RawRecord));
        }
    }

    private static string[] Fields(CsvReader csv)
    {
        var fields = new string[csv.FieldCount];
        for (var i = 0; i < fields.Length; i++) fields[i] = TextEncodings.Utf8Strict.GetString(csv.GetSpan(i));
        return fields;
    }

    private static int[] HeaderIndex(string file, string layoutName, string[] header, string[] columns)
    {
        var cleaned = header.Select(h => FieldText.Clean(h.TrimStart('\uFEFF')) ?? "").ToArray();
        var index = columns.Select(c => Array.IndexOf(cleaned, c)).ToArray();
        var missing = columns.Where((_, i) => index[i] < 0).ToList();
        if (missing.Count > 0)
            throw new InputRejectedException(file, $"見出し行に列 {string.Join("、", missing)} がありません（{layoutName} のレイアウトではありません）。",
                $"見出し行が {layoutName} の列名と一致するファイルを指定してください。");
        return index;
    }
}
