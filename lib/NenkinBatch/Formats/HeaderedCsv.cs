namespace NenkinBatch.Formats;

/// <summary>One data record of a CSV file with a header line: its line number and fields by column name.</summary>
public sealed class HeaderedRecord(long line, string[] fields, int[] index, string[] columns, UInt128 digest, int headerCount, RowProblem? quotingProblem)
{
    /// <summary>The file's line the record starts on (the header is line 1).</summary>
    public long Line { get; } = line;
    /// <summary>The record's bytes' digest (<see cref="RecordDigest"/>): exact duplicates share it.</summary>
    public UInt128 Digest { get; } = digest;
    public int FieldCount => fields.Length;

    /// <summary>The fields of the header line: a record with another count has its values under the wrong columns.</summary>
    public int ExpectedCount { get; } = headerCount;

    /// <summary>The cleaned field of the column at <paramref name="column"/> in the reader's column list; null when empty or missing.</summary>
    public string? this[int column] => (uint)index[column] < (uint)fields.Length ? FieldText.Clean(fields[index[column]]) : null;

    public string ColumnName(int column) => columns[column];

    /// <summary>
    /// A parser over this record's fields in the layout's order (the reader asked for the layout's labels as columns),
    /// already holding the errors of the record as a whole (a field count other than the header's, broken quoting).
    /// </summary>
    public Layouts.FieldParser Parser(Layouts.Layout layout, Domain.Codes.CodeTables codes, string file)
    {
        var values = new string?[columns.Length];
        for (var i = 0; i < values.Length; i++) values[i] = this[i];
        var parser = new Layouts.FieldParser(layout, codes, file, Line).With(values);
        if (FieldCount != ExpectedCount)
            parser.Problems.Add(RowProblem.Error(file, Line, null, null, FieldCount < ExpectedCount
                ? $"項目数が {FieldCount} で、見出しの {ExpectedCount} に足りません（行が途中で切れているか、改行が紛れ込んでいます）"
                : $"項目数が {FieldCount} で、見出しの {ExpectedCount} より多くなっています（値の中のカンマが引用符で囲まれていない可能性があります）"));
        if (quotingProblem is not null) parser.Problems.Add(quotingProblem);
        return parser;
    }
}

/// <summary>
/// The CSV layouts of the city's own systems (members-csv, juki-change-csv): UTF-8, a header line
/// naming the columns in any order, RFC 4180 quoting. Streams; skips what an earlier run committed.
/// </summary>
public static class HeaderedCsv
{
    private static readonly IReadOnlySet<string> NoOptionalColumns = new HashSet<string>();

    /// <remarks>
    /// The file is read through once, without decoding, before the first record is given out: a job that commits in chunks must
    /// not store part of a file that a quote never closed further on then refuses.
    /// </remarks>
    public static IAsyncEnumerable<HeaderedRecord> ReadAsync(string path, string layoutName, string[] columns, long skipThroughLine, Action<Stream>? onOpen,
        CancellationToken cancellationToken) => ReadAsync(path, layoutName, columns, NoOptionalColumns, skipThroughLine, onOpen, cancellationToken);

    /// <param name="optionalColumns">Columns a file may leave out of its header: their fields read as empty.</param>
    /// <param name="checkFirst">False only when the caller has just read the same file through this reader (and so checked it).</param>
    public static async IAsyncEnumerable<HeaderedRecord> ReadAsync(string path, string layoutName, string[] columns, IReadOnlySet<string> optionalColumns,
        long skipThroughLine, Action<Stream>? onOpen, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, bool checkFirst = true)
    {
        var file = InputFile.DisplayName(path);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false);
        if (checkFirst)
        {
            await using var check = new CsvRecords(stream, TextEncodings.Utf8Strict, file);
            check.CheckToEnd(cancellationToken);
        }
        stream.Position = 0;
        onOpen?.Invoke(stream);
        await using var records = new CsvRecords(stream, TextEncodings.Utf8Strict, file);

        // Synchronous reads: see JpsResultReader (a pool-thread hop per buffer costs more than the read).
        var index = ReadHeader(records, file, layoutName, columns, optionalColumns);
        var headerCount = records.Fields.Length;

        while (records.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (records.Line <= skipThroughLine) continue;
            yield return new HeaderedRecord(records.Line, records.Fields, index, columns, RecordDigest.Of(records.RawRecord), headerCount, records.QuotingProblem);
        }
    }

    /// <summary>The bytes of one field of a record: valid only during the call.</summary>
    public delegate void FieldAction(ReadOnlySpan<byte> field);

    /// <summary>
    /// Some columns of every record, as bytes, without decoding the other fields: the header is checked as <see cref="ReadAsync"/>
    /// checks it, and a quote never closed or a record too long throws here, so a caller that reads it through this first need
    /// not check it again. It does not check that the bytes are UTF-8: the caller has (<see cref="InputFile.InspectUtf8Async"/>).
    /// A record without a column is not given to that column's action.
    /// </summary>
    /// <param name="scans">Each column (its place in <paramref name="columns"/>) and what to do with its field.</param>
    /// <returns>How many records the file has.</returns>
    public static long ScanColumns(string path, string layoutName, string[] columns, IReadOnlySet<string> optionalColumns,
        (int Column, FieldAction OnField)[] scans, CancellationToken cancellationToken)
    {
        var file = InputFile.DisplayName(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false);
        var records = new CsvRecords(stream, TextEncodings.Utf8Strict, file);
        try
        {
            var header = ReadHeader(records, file, layoutName, columns, optionalColumns);
            var at = scans.Select(s => header[s.Column]).ToArray();
            var count = 0L;
            while (records.Skim())
            {
                cancellationToken.ThrowIfCancellationRequested();
                count++;
                for (var i = 0; i < at.Length; i++)
                    if ((uint)at[i] < (uint)records.FieldCount) scans[i].OnField(records.RawField(at[i]));
            }
            return count;
        }
        finally
        {
            records.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Reads the header line: where each of <paramref name="columns"/> is in it, or the file refused (empty, not of the layout).</summary>
    private static int[] ReadHeader(CsvRecords records, string file, string layoutName, string[] columns, IReadOnlySet<string> optionalColumns)
    {
        if (!records.Read())
            throw new InputRejectedException(file, "ファイルが空です。", $"{layoutName} の見出し行とデータを含むファイルを指定してください。");
        return HeaderIndex(file, layoutName, records.Fields, columns, optionalColumns);
    }

    private static int[] HeaderIndex(string file, string layoutName, string[] header, string[] columns, IReadOnlySet<string> optionalColumns)
    {
        var cleaned = header.Select(h => FieldText.Clean(h.TrimStart('\uFEFF')) ?? "").ToArray();
        var index = columns.Select(c => Array.IndexOf(cleaned, c)).ToArray();
        var missing = columns.Where((c, i) => index[i] < 0 && !optionalColumns.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new InputRejectedException(file, $"見出し行に列 {string.Join("、", missing)} がありません（{layoutName} のレイアウトではありません）。",
                $"見出し行が {layoutName} の列名と一致するファイルを指定してください。");
        var twice = columns.Where(c => cleaned.Count(h => h == c) > 1).ToList();
        if (twice.Count > 0)
            throw new InputRejectedException(file, $"見出し行に列 {string.Join("、", twice)} が2回以上あります（どちらの値を読むか決められません）。",
                "列名が1回ずつの見出し行にしてください。");
        return index;
    }
}
