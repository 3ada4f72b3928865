using System.Globalization;
using System.Text;
using NenkinBatch.Foundation;

namespace NenkinBatch.Formats.Reports;

/// <summary>
/// Writes the reconciliation report (docs/formats.md, "Reconciliation report") as it is produced: the CSV (UTF-8 with BOM, CRLF, formula
/// injection neutralised) row by row, and every row but 一致 spilled to a per-判定 scratch file, from which the
/// clerk's workbook (<see cref="ReconcileWorkbook"/>) is written at the end, a summary sheet first and then one sheet per
/// 判定; its column widths are measured as the rows go by, since they come before the rows in a sheet. Memory stays flat however
/// long the list; the files appear under their final names only when complete. The caller makes the rows on another
/// task (the job reads them through the read-ahead pipeline), so writing and making them use both cores.
/// </summary>
public sealed class ReconcileReport : IAsyncDisposable
{
    private readonly string _csvPath;
    private readonly string _xlsxPath;
    private readonly CsvOutput _csv;
    private readonly Dictionary<Verdict, BinaryWriter> _spills = [];
    private readonly ReconcileWorkbook _workbook;
    private bool _completed;

    public ReconcileReport(string directory, long runId)
    {
        Directory.CreateDirectory(directory);
        _csvPath = Path.Combine(directory, $"reconcile-{runId.ToString(CultureInfo.InvariantCulture)}.csv");
        _xlsxPath = Path.ChangeExtension(_csvPath, ".xlsx");
        _workbook = new ReconcileWorkbook(runId);
        _csv = CsvOutput.ForSpreadsheet(_csvPath + ".partial");
        _csv.Write(ReconcileReportRow.Headers);
        foreach (var verdict in Verdicts.All.Where(v => v != Verdict.Match))
        {
            var path = Path.Combine(directory, $".reconcile-{runId.ToString(CultureInfo.InvariantCulture)}-{(int)verdict}.spill");
            var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose);
            // Gone from the folder at once where the system allows it, so that not even a killed run leaves one behind.
            if (!OperatingSystem.IsWindows()) File.Delete(path);
            _spills[verdict] = new BinaryWriter(stream, Encoding.UTF8);
        }
    }

    public string CsvPath => _csvPath;
    public string XlsxPath => _xlsxPath;
    public Dictionary<Verdict, long> Counts { get; } = [];

    /// <summary>
    /// Counts a row and writes it to the CSV and, unless it is 一致, to its 判定's spill: its cells, then its fingerprint
    /// and its birth date as a day number, each where it has one (a flag byte says which).
    /// </summary>
    public void Add(ReconcileReportRow row)
    {
        Counts[row.Verdict] = Counts.GetValueOrDefault(row.Verdict) + 1;
        var cells = row.Cells();
        _csv.Write(cells);
        if (!_spills.TryGetValue(row.Verdict, out var spill)) return;
        var fingerprint = row.Fingerprint?.ToString();
        _workbook.Measure(row.Verdict, cells, row.BirthDateValue, fingerprint);
        foreach (var cell in cells) spill.Write(cell);
        spill.Write((byte)((fingerprint is null ? 0 : HasFingerprint) | (row.BirthDateValue is null ? 0 : HasBirthDate)));
        if (fingerprint is not null) spill.Write(fingerprint);
        if (row.BirthDateValue is { } birth) spill.Write(birth.DayNumber);
    }

    private const byte HasFingerprint = 1, HasBirthDate = 2;

    /// <summary>
    /// Finishes both files and, when <paramref name="publish"/>, moves them to their final names. --apply publishes its
    /// report only once its changes are applied (<see cref="Publish"/>); until then both wait, complete, as <c>.partial</c>.
    /// </summary>
    public async Task CompleteAsync(IReadOnlyList<(string Label, string Value)> summary, bool publish, CancellationToken cancellationToken)
    {
        await CloseCsvAsync();
        var partialXlsx = _xlsxPath + ".partial";
        await using (var stream = new FileStream(partialXlsx, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            await _workbook.WriteAsync(stream, summary, Counts, (verdict, ct) =>
            {
                var writer = _spills[verdict];
                writer.Flush();
                writer.BaseStream.Position = 0;
                // The spill is decoded on another core while the workbook is written.
                return ReadAhead.Batches(_ => Spilled(writer.BaseStream), 1024, 4, ct);
            }, cancellationToken);
        }
        _completed = true;
        if (publish) Publish(_csvPath, _xlsxPath);
    }

    /// <summary>Moves a completed report to its final names; safe to repeat. Returns the paths, or nulls when the report is gone.</summary>
    public static (string? Csv, string? Xlsx) Publish(string csvPath, string xlsxPath)
    {
        foreach (var path in new[] { csvPath, xlsxPath })
        {
            if (File.Exists(path + ".partial")) File.Move(path + ".partial", path, overwrite: true);
        }
        return (File.Exists(csvPath) ? csvPath : null, File.Exists(xlsxPath) ? xlsxPath : null);
    }

    /// <summary>Removes a completed report that will not be published (the run failed after writing it): it holds names and addresses.</summary>
    public static void Discard(string csvPath, string xlsxPath)
    {
        foreach (var path in new[] { csvPath, xlsxPath }) File.Delete(path + ".partial");
    }

    /// <summary>
    /// Removes what runs that did not finish left in the report folder (a killed run cannot clean up after itself). Called
    /// under the job's lock; the report of an unfinished --apply (its final paths given in <paramref name="waiting"/>) is kept.
    /// </summary>
    public static void RemoveLeftovers(string directory, IReadOnlyCollection<string> waiting)
    {
        if (!Directory.Exists(directory)) return;
        var keep = waiting.Select(path => Path.GetFullPath(path + ".partial")).ToHashSet(StringComparer.Ordinal);
        foreach (var pattern in new[] { "reconcile-*.csv.partial", "reconcile-*.xlsx.partial", ".reconcile-*.spill" })
        {
            foreach (var file in Directory.EnumerateFiles(directory, pattern).Where(f => !keep.Contains(Path.GetFullPath(f)))) File.Delete(file);
        }
    }

    private static IEnumerable<WorkbookRow> Spilled(Stream spill)
    {
        using var reader = new BinaryReader(spill, Encoding.UTF8, leaveOpen: true);
        while (spill.Position < spill.Length)
        {
            var cells = new string[ReconcileReportRow.Headers.Count];
            for (var i = 0; i < cells.Length; i++) cells[i] = reader.ReadString();
            var flags = reader.ReadByte();
            var fingerprint = (flags & HasFingerprint) != 0 ? reader.ReadString() : null;
            DateOnly? birth = (flags & HasBirthDate) != 0 ? DateOnly.FromDayNumber(reader.ReadInt32()) : null;
            yield return new WorkbookRow(cells, birth, fingerprint);
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
