namespace NenkinBatch.Formats.Layouts;

/// <summary>
/// Recognises which layout a file is in from its first record: a fixed-length file by its header
/// record type and record length, a CSV file by its header line (or, without one, its field count).
/// </summary>
public static class LayoutDetector
{
    public static async Task<Layout> DetectAsync(InputFile input, IReadOnlyList<Layout> candidates, CancellationToken cancellationToken)
    {
        var head = new byte[4096];
        int length;
        await using (var stream = File.OpenRead(input.Path))
            length = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        var bytes = head.AsSpan(0, length);

        foreach (var layout in candidates.Where(l => l.IsFixed))
        {
            // The record after the header must start where the size says, with a data or trailer record type: a CSV line that
            // happens to be as long and to start with the header's type (市区町村コード 1xxxxx) is followed by another such line.
            var size = layout.RecordLength;
            if (length < size || bytes[0] != (byte)layout.Header!.RecordType[0]) continue;
            var next = bytes[size..].TrimStart("\r\n"u8);
            if (next.IsEmpty || next[0] == (byte)layout.DataRecordType![0] || next[0] == (byte)layout.Trailer!.RecordType[0])
                return layout;
        }

        var newline = bytes.IndexOf((byte)'\n');
        // The first record as the CSV reader reads it: a quoted field may hold a comma or a line break.
        string[] fields;
        await using (var stream = new FileStream(input.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false))
        await using (var records = new CsvRecords(stream, input.Encoding, input.Name))
            fields = records.Read() ? records.Fields : [""];
        foreach (var layout in candidates.Where(l => !l.IsFixed))
        {
            if (layout.HeaderFirstField is { } first && FieldText.Clean(fields[0]) == first) return layout;
        }
        foreach (var layout in candidates.Where(l => !l.IsFixed && !l.HeaderRequired))
        {
            if (fields.Length == layout.Fields.Count) return layout;
        }
        throw new InputRejectedException(input.Name,
            $"どのレイアウト（{string.Join("、", candidates.Select(c => c.Name))}）にも合いません（先頭行 {(newline >= 0 ? newline : length)} バイト、項目数 {fields.Length}）。",
            "ファイルの中身を確認するか、--layout でレイアウトを指定してください。");
    }
}
