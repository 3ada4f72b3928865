using NenkinBatch.Domain;
using NenkinBatch.Formats;
using NenkinBatch.Foundation;
using NenkinBatch.Formats.Jps;
using NenkinBatch.Formats.Layouts;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Audit;
using NenkinBatch.Persistence.Jps;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Import;

/// <summary>One file's import: skipped if its content is already in, else read and stored in one transaction.</summary>
internal sealed class FileImport(JobContext context, JpsResultStore jps, IndividualNumberProtector protector, Layout layout, InputFile input,
    ImportOptions options, ImportJob.Tally tally, RejectedRowsCsv rejectedCsv)
{
    /// <returns>True when the file is in the database now (imported, or already there).</returns>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var earlier = await context.ReadAsync((connection, ct) => jps.FindImportedAsync(connection, context.Municipality, input.Sha256, ct), cancellationToken);
        if (earlier is not null && !options.Reimport)
        {
            context.Counts["files_skipped"]++;
            context.Log.Info("{0} は実行番号 {1}（{2:yyyy-MM-dd HH:mm}）で取り込み済みです（同じ内容）。取り込み直すときは --reimport を指定してください。",
                input.Name, earlier.ImportedRunId, BusinessClock.ToTokyo(earlier.ImportedAt));
            return true;
        }

        context.Log.Info("{0} を取り込みます（レイアウト {1}、文字コード {2}）。", input.Name, layout.Name, input.Encoding.CodePage == 932 ? "CP932" : "UTF-8");
        var fileTally = new ImportJob.Tally();
        var mark = rejectedCsv.Mark();
        ChunkResult result;
        try
        {
            result = await context.CommitChunkAsync(async (connection, transaction, ct) =>
            {
                rejectedCsv.RewindTo(mark);
                fileTally = new ImportJob.Tally();
                _duplicates.Clear();
                var counts = new RunCounts("read", "imported", "rejected", "warnings", "duplicates", "files_imported");
                var now = context.Clock.GetUtcNow();
                if (earlier is not null)
                {
                    var removed = await jps.ReplaceAsync(connection, transaction, earlier.FileId, context.RunId, ct);
                    await context.Store.CreateAuditWriter().WriteAsync(connection, transaction, context.Municipality, context.RunId, context.JobName, now,
                        [new AuditEntry(AuditKey.File(context.Municipality, earlier.FileId), "UPDATE",
                            AuditEntry.Snapshot(new { earlier.FileName, earlier.ImportedRunId, rows = removed }), AuditEntry.Snapshot(new { replaced_by_run_id = context.RunId }), false)],
                        ct);
                }
                var fileId = await jps.AddFileAsync(connection, transaction, context.Municipality, input, layout.Name, context.RunId, now, ct);
                var problems = new List<RowProblem>();
                var reader = new JpsResultReader(layout, context.Codes);
                await using (var sink = await jps.OpenRowSinkAsync(connection, transaction, fileId, ct))
                {
                    // Two stages on two cores: reading and checking on one; digesting 個人番号 and streaming into the database on the
                    // other. A failure of the reading stage (a file rejected whole) surfaces here as itself, after the rows before it.
                    var municipality = context.Municipality.Value;
                    await foreach (var batch in ReadAhead.Batches(_ => GoodRows(reader, counts, fileTally, problems), BatchSize, 16, ct))
                    {
                        foreach (var (row, warnings) in batch)
                        {
                            var digest = row.IndividualNumber is { } number ? protector.Digest(municipality, number) : null;
                            await sink.AddAsync(row, warnings, digest, ct);
                        }
                    }
                    await sink.CompleteAsync(ct);
                }
                if (layout.IsFixed && reader.HeaderMunicipalityCode != context.Municipality.Value)
                    throw new InputRejectedException(input.Name, $"ヘッダーの市区町村コードが {reader.HeaderMunicipalityCode} です（この設定は {context.Municipality.Value}）。",
                        "送付先の市区町村か、設定 municipalityCode を確認してください。");
                await jps.FinishFileAsync(connection, transaction, context.Municipality, fileId, counts["imported"], problems, ct);
                counts["files_imported"] = 1;
                return new ChunkResult(counts, problems);
            }, $"file:{input.Sha256}");
        }
        catch (InputRejectedException)
        {
            rejectedCsv.RewindTo(mark);
            throw;
        }

        tally.Add(fileTally);
        var c = result.Counts;
        context.Log.Info("{0}: 読込 {1:N0} 行、取込 {2:N0}、除外 {3:N0}、警告 {4:N0}{5}", input.Name, c["read"], c["imported"], c["rejected"], c["warnings"],
            c["duplicates"] > 0 ? $"（うち重複行 {c["duplicates"]:N0}、取り込まず）" : "");
        foreach (var problem in result.Problems.Take(20)) context.Log.Warn("除外: {0}", problem.Describe());
        if (result.Problems.Count > 20) context.Log.Warn("…ほか {0:N0} 件（一覧は除外行 CSV にあります）", result.Problems.Count - 20);
        foreach (var duplicate in _duplicates) context.Log.Warn("警告: {0}", duplicate.Describe());
        if (c["duplicates"] > _duplicates.Count) context.Log.Warn("…ほか重複行 {0:N0} 件（一覧は除外行 CSV にあります）", c["duplicates"] - _duplicates.Count);
        return true;
    }

    /// <summary>The first stage: every record read, checked and counted; the good rows, with their warnings, passed on.</summary>
    private async IAsyncEnumerable<(JpsResultRow Row, string? Warnings)> GoodRows(JpsResultReader reader, RunCounts counts, ImportJob.Tally fileTally,
        List<RowProblem> problems)
    {
        var municipality = context.Municipality.Value;
        var checkedMunicipality = false;
        // The file is read to its end even when Ctrl+C comes: it is committed whole or not at all.
        await foreach (var read in reader.ReadAsync(input, 0, CancellationToken.None))
        {
            counts["read"]++;
            var rowProblems = read.Problems;
            if (read.DuplicateOf is not null)
            {
                counts["duplicates"]++;
                counts["warnings"] += rowProblems.Count;
                foreach (var warning in rowProblems)
                {
                    rejectedCsv.Add(warning);
                    if (_duplicates.Count < ShownDuplicates) _duplicates.Add(warning);
                }
                continue;
            }
            if (read.Row is { } row)
            {
                if (!checkedMunicipality)
                {
                    checkedMunicipality = true;
                    if (row.MunicipalityCode != municipality)
                        throw new InputRejectedException(input.Name, $"市区町村コード {row.MunicipalityCode} のファイルです（この設定は {municipality}）。",
                            "送付先の市区町村か、設定 municipalityCode を確認してください。");
                }
                if (row.MunicipalityCode == municipality)
                {
                    var warnings = rowProblems.Count == 0 ? null : string.Join("; ", rowProblems.Select(p => $"{p.Field}: {p.Reason}"));
                    counts["imported"]++;
                    counts["warnings"] += rowProblems.Count;
                    var result = ResultCodes[row.Result];
                    fileTally.Results[result] = fileTally.Results.GetValueOrDefault(result) + 1;
                    fileTally.Filings[row.FilingCode] = fileTally.Filings.GetValueOrDefault(row.FilingCode) + 1;
                    foreach (var warning in rowProblems) rejectedCsv.Add(warning);
                    ReportProgress(counts);
                    yield return (row, warnings);
                    continue;
                }
                rowProblems = [.. rowProblems, RowProblem.Error(input.Name, row.Line, "市区町村コード", row.MunicipalityCode, $"この市区町村（{municipality}）の行ではありません")];
            }
            counts["rejected"]++;
            foreach (var problem in rowProblems)
            {
                rejectedCsv.Add(problem);
                if (problem.Severity == ProblemSeverity.Error && problems.Count < options.MaxStoredRejectionsPerFile) problems.Add(problem);
            }
        }
    }

    private const int BatchSize = 1024;
    private const int ShownDuplicates = 20;
    private readonly List<RowProblem> _duplicates = [];
    private static readonly string[] ResultCodes = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    private void ReportProgress(RunCounts counts)
    {
        if ((counts["read"] & 0x3FF) == 0) context.Progress.Report(context.Counts["read"] + counts["read"], null);
    }
}
