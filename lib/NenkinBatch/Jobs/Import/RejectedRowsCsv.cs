using System.Globalization;
using NenkinBatch.Formats;

namespace NenkinBatch.Jobs.Import;

/// <summary>
/// The operator's list of rejected rows and warnings (UTF-8 with BOM, for Excel), written as they are
/// found so it holds them all however many; values masked as everywhere. A retried or rejected file
/// rewinds to where it started, so nothing is listed twice.
/// </summary>
internal sealed class RejectedRowsCsv(string path)
{
    private StreamWriter? _writer;
    private long _headerEnd;

    public string Path { get; } = path;
    public long Count { get; private set; }

    public (long Position, long Count) Mark()
    {
        _writer?.Flush();
        return (_writer?.BaseStream.Position ?? -1, Count);
    }

    public void RewindTo((long Position, long Count) mark)
    {
        if (_writer is null) return;
        _writer.Flush();
        _writer.BaseStream.SetLength(mark.Position < 0 ? _headerEnd : mark.Position);
        _writer.BaseStream.Position = _writer.BaseStream.Length;
        Count = mark.Count;
    }

    public void Add(RowProblem problem)
    {
        if (_writer is null)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            _writer = new StreamWriter(Path, false, Formats.TextEncodings.Utf8WithBom) { NewLine = "\r\n" };
            _writer.WriteLine("区分,ファイル,行,項目,値,理由");
            _writer.Flush();
            _headerEnd = _writer.BaseStream.Position;
        }
        Count++;
        _writer.WriteLine(string.Join(",", new[]
        {
            problem.Severity == ProblemSeverity.Error ? "除外" : "警告", problem.File, problem.Line?.ToString(CultureInfo.InvariantCulture) ?? "",
            problem.Field ?? "", problem.Value ?? "", problem.Reason,
        }.Select(CsvCell.Of)));
    }

    public void Close() => _writer?.Dispose();

    public void Delete()
    {
        Close();
        if (File.Exists(Path)) File.Delete(Path);
    }
}
