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
    private CsvOutput? _csv;
    private long _headerEnd;

    public string Path { get; } = path;
    public long Count { get; private set; }

    public (long Position, long Count) Mark() => (_csv?.Position ?? -1, Count);

    public void RewindTo((long Position, long Count) mark)
    {
        if (_csv is null) return;
        _csv.TruncateTo(mark.Position < 0 ? _headerEnd : mark.Position);
        Count = mark.Count;
    }

    public void Add(RowProblem problem)
    {
        if (_csv is null)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            _csv = CsvOutput.ForSpreadsheet(Path, bufferSize: 4096);
            _csv.Write("区分", "ファイル", "行", "項目", "値", "理由");
            _headerEnd = _csv.Position;
        }
        Count++;
        _csv.Write(problem.Severity == ProblemSeverity.Error ? "除外" : "警告", problem.File, problem.Line?.ToString(CultureInfo.InvariantCulture) ?? "",
            problem.Field ?? "", problem.Value ?? "", problem.Reason);
    }

    public void Close() => _csv?.Dispose();

    public void Delete()
    {
        Close();
        if (File.Exists(Path)) File.Delete(Path);
    }
}
