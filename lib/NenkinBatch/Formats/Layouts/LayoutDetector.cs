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
            var size = layout.RecordLength;
            if (length >= size && bytes[0] == (byte)layout.Header!.RecordType[0]
                && (length == size || bytes[size] is (byte)'\r' or (byte)'\n' || bytes[size] == (byte)layout.DataRecordType![0] || bytes[size] == (byte)layout.Trailer!.RecordType[0]))
                return layout;
        }

        var newline = bytes.IndexOf((byte)'\n');
        var firstLine = FieldText.Clean(DecodeLenient(input, newline >= 0 ? bytes[..newline] : bytes).TrimStart('\uFEFF').TrimEnd('\r')) ?? "";
        var fields = firstLine.Split(',');
        foreach (var layout in candidates.Where(l => !l.IsFixed))
        {
            if (layout.HeaderFirstField is { } first && FieldText.Clean(fields[0].Trim('"')) == first) return layout;
        }
        foreach (var layout in candidates.Where(l => !l.IsFixed && !l.HeaderRequired))
        {
            if (fields.Length == layout.Fields.Count) return layout;
        }
        throw new InputRejectedException(input.Name,
            $"どのレイアウト（{string.Join("、", candidates.Select(c => c.Name))}）にも合いません（先頭行 {(newline >= 0 ? newline : length)} バイト、項目数 {fields.Length}）。",
            "ファイルの中身を確認するか、--layout でレイアウトを指定してください。");
    }

    private static string DecodeLenient(InputFile input, ReadOnlySpan<byte> bytes)
    {
        try
        {
            return input.Encoding.GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            // The first 4 KB may end inside a character; the first line is what matters.
            return System.Text.Encoding.Latin1.GetString(bytes);
        }
    }
}
