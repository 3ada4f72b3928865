using System.Globalization;
using System.Text;
using System.Threading.Channels;
using NenkinBatch.Foundation;
using SpreadCheetah;

namespace NenkinBatch.Formats.Reports;

/// <summary>The 判定 of a report row (FORMATS.md §5), in the order the workbook shows them.</summary>
public static class Verdicts
{
    public const string Match = "一致";
    public const string Differs = "差異あり";
    public const string NotOnFile = "市未登録";
    public const string Review = "要確認";
    public const string Returned = "返戻";
    public const string Unreflected = "機構未反映";

    public static IReadOnlyList<string> All { get; } = [Match, Differs, NotOnFile, Review, Returned, Unreflected];

    public static string Meaning(string verdict) => verdict switch
    {
        Match => "照合でき、相違なし",
        Differs => "照合でき、項目に相違あり（どちらを直すかは対応欄）",
        NotOnFile => "市の記録に該当者なし",
        Review => "候補はあるが自動では決められない（職員が確認）",
        Returned => "機構が返戻した届書（職員が対応）",
        Unreflected => "市の資格異動に対応する機構の行がない",
        _ => "",
    };
}

/// <summary>
/// Writes the reconciliation report (FORMATS.md §5) as it is produced: the CSV (UTF-8 with BOM, CRLF, formula
/// injection neutralised) row by row, and every row but 一致 spilled to a per-判定 scratch file, from which the
/// workbook is written at the end, a summary sheet first and then one sheet per 判定. Memory stays flat however
/// long the list; the files appear under their final names only when complete. Rows are written on a task of their
/// own, a batch at a time (<see cref="FlushAsync"/>), while the caller makes the next ones.
/// </summary>
public sealed class ReconcileReport : IAsyncDisposable
{
    public static readonly string[] Headers =
        ["実行番号", "ファイル", "行番号", "届書", "処理結果", "基礎年金番号", "氏名", "カナ氏名", "生年月日", "判定", "宛名番号", "一致度", "根拠", "差異", "対応", "他候補"];
    private const int VerdictColumn = 9;

    private readonly string _csvPath;
    private readonly string _xlsxPath;
    private readonly StreamWriter _csv;
    private readonly Dictionary<string, (string Path, BinaryWriter Writer)> _spills = new(StringComparer.Ordinal);
    private readonly StringBuilder _line = new(512);
    private readonly Channel<List<string[]>> _queue = Channel.CreateBounded<List<string[]>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
    private readonly Task _writer;
    private List<string[]> _rows = [];
    private bool _completed;

    public ReconcileReport(string directory, long runId)
    {
        Directory.CreateDirectory(directory);
        _csvPath = Path.Combine(directory, $"reconcile-{runId.ToString(CultureInfo.InvariantCulture)}.csv");
        _xlsxPath = Path.ChangeExtension(_csvPath, ".xlsx");
        _csv = new StreamWriter(_csvPath + ".partial", false, TextEncodings.Utf8WithBom, 1 << 16) { NewLine = "\r\n" };
        WriteCsv(Headers);
        foreach (var (verdict, i) in Verdicts.All.Select((v, i) => (v, i)).Where(v => v.v != Verdicts.Match))
        {
            var path = Path.Combine(directory, $".reconcile-{runId.ToString(CultureInfo.InvariantCulture)}-{i}.spill");
            _spills[verdict] = (path, new BinaryWriter(new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose), Encoding.UTF8));
        }
        _writer = Task.Run(WriteRowsAsync);
    }

    public string CsvPath => _csvPath;
    public string XlsxPath => _xlsxPath;
    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>Counts a row and keeps it for the next <see cref="FlushAsync"/>.</summary>
    public void Add(string[] row)
    {
        var verdict = row[VerdictColumn];
        Counts[verdict] = Counts.GetValueOrDefault(verdict) + 1;
        _rows.Add(row);
    }

    /// <summary>Hands the rows added so far to the writer; waits only when it is several batches behind.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_rows.Count == 0) return;
        var batch = _rows;
        _rows = new List<string[]>(batch.Count);
        try
        {
            await _queue.Writer.WriteAsync(batch, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            await _writer; // the writer's own failure (a full disk) is the one that explains
            throw;
        }
    }

    private async Task WriteRowsAsync()
    {
        try
        {
            await foreach (var batch in _queue.Reader.ReadAllAsync())
            {
                foreach (var row in batch)
                {
                    WriteCsv(row);
                    if (!_spills.TryGetValue(row[VerdictColumn], out var spill)) continue;
                    foreach (var cell in row) spill.Writer.Write(cell);
                }
            }
        }
        catch (Exception e)
        {
            _queue.Writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>Finishes both files and moves them to their final names; returns their paths.</summary>
    public async Task CompleteAsync(IReadOnlyList<(string Label, string Value)> summary, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        _queue.Writer.Complete();
        await _writer;
        await _csv.FlushAsync(cancellationToken);
        _csv.Close();
        var partialXlsx = _xlsxPath + ".partial";
        await using (var stream = new FileStream(partialXlsx, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        await using (var book = await Spreadsheet.CreateNewAsync(stream, cancellationToken: cancellationToken))
        {
            await book.StartWorksheetAsync("集計", token: cancellationToken);
            foreach (var (label, value) in summary) await book.AddRowAsync([new Cell(label), new Cell(value)], cancellationToken);
            await book.AddRowAsync([new Cell("")], cancellationToken);
            await book.AddRowAsync([new Cell("判定"), new Cell("件数"), new Cell("意味")], cancellationToken);
            foreach (var verdict in Verdicts.All)
                await book.AddRowAsync([new Cell(verdict), new Cell(Counts.GetValueOrDefault(verdict)), new Cell(Verdicts.Meaning(verdict))], cancellationToken);

            foreach (var verdict in Verdicts.All.Where(v => v != Verdicts.Match))
            {
                await book.StartWorksheetAsync(verdict, token: cancellationToken);
                await book.AddRowAsync(Headers.Select(h => new Cell(h)).ToArray(), cancellationToken);
                var writer = _spills[verdict].Writer;
                writer.Flush();
                writer.BaseStream.Position = 0;
                // The spill is decoded on another core while the workbook is written.
                await foreach (var batch in ReadAhead.Batches(_ => Spilled(writer.BaseStream), 1024, 4, cancellationToken))
                {
                    foreach (var row in batch) await book.AddRowAsync(row, cancellationToken);
                }
            }
            await book.FinishAsync(cancellationToken);
        }
        File.Move(_csvPath + ".partial", _csvPath, overwrite: true);
        File.Move(partialXlsx, _xlsxPath, overwrite: true);
        _completed = true;
    }

    private static IEnumerable<Cell[]> Spilled(Stream spill)
    {
        using var reader = new BinaryReader(spill, Encoding.UTF8, leaveOpen: true);
        while (spill.Position < spill.Length)
        {
            var cells = new Cell[Headers.Length];
            for (var i = 0; i < cells.Length; i++) cells[i] = new Cell(reader.ReadString());
            yield return cells;
        }
    }

    private void WriteCsv(string[] cells)
    {
        _line.Clear();
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) _line.Append(',');
            CsvCell.Append(_line, cells[i]);
        }
        _csv.WriteLine(_line);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _writer;
        }
        catch (Exception) when (!_completed)
        {
            // The run has failed already (that failure is the one reported); only the partial files are left to remove.
        }
        await _csv.DisposeAsync();
        foreach (var (_, writer) in _spills.Values) await writer.DisposeAsync();
        if (!_completed && File.Exists(_csvPath + ".partial")) File.Delete(_csvPath + ".partial");
    }
}
