using NenkinBatch.Formats;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.Import;

/// <summary>The sample city's 処理結果一覧表 as bytes, and damaged copies of it made line by line.</summary>
internal static class SampleLists
{
    public static byte[] Csv { get; } = File.ReadAllBytes(Path.Combine(AdminProcess.RepositoryRoot, "samples", "city", CityFiles.JpsCsvFile));
    public static byte[] Fixed { get; } = File.ReadAllBytes(Path.Combine(AdminProcess.RepositoryRoot, "samples", "city", CityFiles.JpsFixedFile));

    /// <summary>The CSV's lines (header first), each without its CRLF.</summary>
    public static List<byte[]> CsvLines() => Split(Csv);

    /// <summary>The fixed file's records (header first), each without its CRLF.</summary>
    public static List<byte[]> FixedRecords() => Split(Fixed);

    private static List<byte[]> Split(byte[] bytes)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] != '\r' || bytes[i + 1] != '\n') continue;
            lines.Add(bytes[start..i]);
            start = i + 2;
        }
        return lines;
    }

    public static byte[] Join(IEnumerable<byte[]> lines) => [.. lines.SelectMany(l => l.Concat("\r\n"u8.ToArray()))];

    /// <summary>A CSV line with one field (0-based) replaced by raw bytes.</summary>
    public static byte[] WithField(byte[] line, int field, byte[] value)
    {
        var fields = Fields(line);
        fields[field] = value;
        return [.. fields.SelectMany((f, i) => i == 0 ? f : [(byte)',', .. f])];
    }

    public static List<byte[]> Fields(byte[] line)
    {
        var fields = new List<byte[]>();
        var start = 0;
        for (var i = 0; i <= line.Length; i++)
        {
            if (i < line.Length && line[i] != ',') continue;
            fields.Add(line[start..i]);
            start = i + 1;
        }
        return fields;
    }

    public static byte[] Cp932(string text) => TextEncodings.Cp932Strict.GetBytes(text);

    public static string Write(string directory, string name, byte[] bytes)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
