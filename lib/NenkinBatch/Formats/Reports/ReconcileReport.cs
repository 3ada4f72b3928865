using System.Globalization;
using System.Text;
using NenkinBatch.Foundation;
using SpreadCheetah;

namespace NenkinBatch.Formats.Reports;

/// <summary>
/// Writes the reconciliation report (docs/formats.md, "Reconciliation report") as it is produced: the CSV (UTF-8 with BOM, CRLF, formula
/// injection neutralised) row by row, and every row but 一致 spilled to a per-判定 scratch file, from which the
/// workbook is written at the end, a summary sheet first and then one sheet per 判定. Memory stays flat however
/// long the list; the files appear under their final names only when complete. The caller makes the rows on another
/// task (the job reads them through the read-ahead pipeline), so writing and making them use both cores.
/// </summary>
public sealed class ReconcileReport : IAsyncDisposable
{
    private readonly string _csvPath;
    private readonly string _xlsxPath;
    private readonly CsvOutput _csv;
    private readonly Dictionary<Verdict, BinaryWriter> _spills = [];
    private bool _completed;

    public ReconcileReport(string directory, long runId)
    {
        Directory.CreateDirectory(directory);
        _csvPath = Path.Combine(directory, $"reconcile-{runId.ToString(CultureInfo.InvariantCulture)}.csv");
        _xlsxPath = Path.ChangeExtension(_csvPath, ".xlsx");
        _csv = CsvOutput.ForSpreadsheet(_csvPath + ".partial");
        _csv.Write(ReconcileReportRow.Headers);
        foreach (var verdict in Verdicts.All.Where(v => v != Verdict.Match))
        {
            var path = Path.Combine(directory, $".reconcile-{runId.ToString(CultureInfo.InvariantCulture)}-{(int)verdict}.spill");
            _spills[verdict] = new BinaryWriter(new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose), Encoding.UTF8);
        }
    }

    public string CsvPath => _csvPath;
    public string XlsxPath => _xlsxPath;
    public Dictionary<Verdict, long> Counts { get; } = [];

    /// <summary>Counts a row and writes it to the CSV and, unless it is 一致, to its 判定's spill.</summary>
    public void Add(ReconcileReportRow row)
    {
        Counts[row.Verdict] = Counts.GetValueOrDefault(row.Verdict) + 1;
        var cells = row.Cells();
        _csv.Write(cells);
        if (!_spills.TryGetValue(row.Verdict, out var spill)) return;
        foreach (var cell in cells) spill.Write(cell);
    }

    /// <summary>Finishes both files and moves them to their final names; returns their paths.</summary>
    public async Task CompleteAsync(IReadOnlyList<(string Label, string Value)> summary, CancellationToken cancellationToken)
    {
        await CloseCsvAsync();
        var partialXlsx = _xlsxPath + ".partial";
        await using (var stream = new FileStream(partialXlsx, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        await using (var book = await Spreadsheet.CreateNewAsync(stream, cancellationToken: cancellationToken))
        {
            await book.StartWorksheetAsync("集計", token: cancellationToken);
            foreach (var (label, value) in summary) await book.AddRowAsync([new Cell(label), new Cell(value)], cancellationToken);
            await book.AddRowAsync([new Cell("")], cancellationToken);
            await book.AddRowAsync([new Cell("判定"), new Cell("件数"), new Cell("意味")], cancellationToken);
            foreach (var verdict in Verdicts.All)
                await book.AddRowAsync([new Cell(verdict.Label()), new Cell(Counts.GetValueOrDefault(verdict)), new Cell(verdict.Meaning())], cancellationToken);

            foreach (var verdict in Verdicts.All.Where(v => v != Verdict.Match))
            {
                await book.StartWorksheetAsync(verdict.Label(), token: cancellationToken);
                await book.AddRowAsync(ReconcileReportRow.Headers.Select(h => new Cell(h)).ToArray(), cancellationToken);
                var writer = _spills[verdict];
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
            var cells = new Cell[ReconcileReportRow.Headers.Count];
            for (var i = 0; i < cells.Length; i++) cells[i] = new Cell(reader.ReadString());
            yield return cells;
        }
    }

    private async ValueTask CloseCsvAsync()
    {
        if (_csvClosed) return;
        _csvClosed = true;
        await _csv.DisposeAsync();
    }

    private bool _csvClosed;

    public async ValueTask DisposeAsync()
    {
        await CloseCsvAsync();
        foreach (var writer in _spills.Values) await writer.DisposeAsync();
        if (!_completed && File.Exists(_csvPath + ".partial")) File.Delete(_csvPath + ".partial");
    }
}
