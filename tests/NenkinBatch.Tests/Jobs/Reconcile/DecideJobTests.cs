using System.Text;
using System.Text.Json;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Reports;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Jobs.Reconcile;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Jobs.Import;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.Reconcile;

/// <summary>
/// <c>nenkin-reconcile decide</c> on the sample city: its dry run sends two rows about one woman (one in each list) to 要確認 —
/// her name and birth date agree, her address does not; a clerk who knows her decides.
/// </summary>
public class DecideJobTests
{
    private static string SampleCity => Path.Combine(AdminProcess.RepositoryRoot, "samples", "city");
    private const string Woman = "1000003308";

    /// <summary>Everything a decision may change: persons, 資格, recorded filings and the decisions themselves.</summary>
    private static async Task<List<string>> DecidedDataAsync(TestDatabase database) =>
    [
        .. await database.RowsAsync("SELECT atena_number, basic_pension_number, updated_run_id FROM person ORDER BY atena_number"),
        .. await database.RowsAsync("SELECT atena_number, acquired_on, insured_category, lost_on, loss_reason, updated_run_id FROM qualification ORDER BY atena_number, acquired_on"),
        .. await database.RowsAsync("SELECT file_id, line_number, atena_number, filing_code FROM jps_filing_processed ORDER BY file_id, line_number"),
        .. await database.RowsAsync("SELECT file_id, line_number, atena_number, same FROM match_decision ORDER BY file_id, line_number, atena_number"),
    ];

    private static async Task<(InProcess.Run Run, long RunId, Dictionary<string, long> Counts)> RunAsync(TestDatabase database, NenkinBatch.Runtime.Job job)
    {
        var run = await InProcess.RunAsync(job, database.Settings(chunkSize: 20));
        run.Summary.ShouldNotBeNull(run.Error);
        using var summary = JsonDocument.Parse(run.Summary);
        return (run, summary.RootElement.GetProperty("run_id").GetInt64(),
            summary.RootElement.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
    }

    /// <summary>The sample city loaded, both lists imported and reconciled as a dry run; the path of the run's workbook.</summary>
    private static async Task<string> ReportedAsync(TestDatabase database)
    {
        await ReconcileJobTests.LoadAndImportAsync(database, SampleCity, CityFiles.JpsCsvFile, CityFiles.JpsFixedFile);
        var (run, runId, counts) = await RunAsync(database, new ReconcileJob(new ReconcileOptions()));
        run.ExitCode.ShouldBe(0, run.Error);
        counts["review"].ShouldBe(2);
        return Path.Combine(database.ReportDirectory, $"reconcile-{runId}.xlsx");
    }

    private static DecideOptions Decide(string workbook, bool apply = false) => new() { Workbook = workbook, Apply = apply };

    private static bool IsList(IReadOnlyDictionary<string, object?> row, string file) => string.Equals(row["ファイル"]?.ToString(), file, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Decisions_FilledWithAnotherLibrary_DryRunThenApply_ExactlyThose_TwiceNothing_UndoRestores(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var workbook = await ReportedAsync(database);
        var before = await DecidedDataAsync(database);
        var filled = Path.Combine(database.Directory, "filled.xlsx");
        // One row by the drop-down, the other by a 宛名番号 typed as a number (a spreadsheet keeps it as one).
        WorkbookFill.WithMiniExcel(workbook, filled, (_, row) =>
            IsList(row, CityFiles.JpsCsvFile) ? (DecisionColumns.Candidate1, null) : (null, long.Parse(Woman, System.Globalization.CultureInfo.InvariantCulture)));

        var (dry, dryRun, dryCounts) = await RunAsync(database, new ReconcileDecideJob(Decide(filled)));
        dry.ExitCode.ShouldBe(0, dry.Error);
        (dryCounts["decisions"], dryCounts["accepted"], dryCounts["refused"]).ShouldBe((2L, 2L, 0L));
        (await DecidedDataAsync(database)).ShouldBe(before);
        var dryList = File.ReadAllLines(Path.Combine(database.ReportDirectory, $"decide-{dryRun}-dryrun.csv"), Encoding.UTF8);
        dryList.Count(l => l.Contains(",反映できる,", StringComparison.Ordinal)).ShouldBe(2);

        var (apply, applyRun, counts) = await RunAsync(database, new ReconcileDecideJob(Decide(filled, apply: true)));
        apply.ExitCode.ShouldBe(0, apply.Error);
        (counts["applied"], counts["refused"]).ShouldBe((2L, 0L));
        // Exactly those: her two filings recorded as processed, the two decisions remembered with who took them; nothing else.
        (await database.RowsAsync("SELECT file_id, line_number, atena_number FROM jps_filing_processed ORDER BY file_id")).ShouldBe([$"1|36|{Woman}", $"2|36|{Woman}"]);
        (await database.RowsAsync("SELECT file_id, line_number, atena_number, same, decided_by, decided_run_id FROM match_decision ORDER BY file_id"))
            .ShouldBe([$"1|36|{Woman}|{True(kind)}|{Environment.UserName}|{applyRun}", $"2|36|{Woman}|{True(kind)}|{Environment.UserName}|{applyRun}"]);
        var applied = await DecidedDataAsync(database);
        applied.Except(before).Count().ShouldBe(4);
        (await database.CountAsync("audit_log", $"run_id = {applyRun} AND table_name = 'match_decision'")).ShouldBe(2);
        (await database.RowsAsync($"SELECT after_data FROM audit_log WHERE run_id = {applyRun} AND table_name = 'match_decision'"))
            .ShouldAllBe(a => a.Contains(Environment.UserName, StringComparison.Ordinal));

        // The same workbook again: both found decided the same way, nothing changes.
        var (again, _, againCounts) = await RunAsync(database, new ReconcileDecideJob(Decide(filled, apply: true)));
        again.ExitCode.ShouldBe(0, again.Error);
        (againCounts["unchanged"], againCounts["applied"]).ShouldBe((2L, 0L));
        (await DecidedDataAsync(database)).ShouldBe(applied);

        var undo = await InProcess.RunAsync(new ReconcileUndoJob(applyRun), database.Settings());
        undo.ExitCode.ShouldBe(0, undo.Error);
        (await DecidedDataAsync(database)).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Decisions_SavedThroughLibreOffice_AreAppliedExactly(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var workbook = await ReportedAsync(database);
        var before = await DecidedDataAsync(database);
        var filled = Path.Combine(database.Directory, "filled.xlsx");
        // The CSV list's row: she is someone else; the other row is left undecided.
        WorkbookFill.WithMiniExcel(workbook, filled, (_, row) => IsList(row, CityFiles.JpsCsvFile) ? (DecisionColumns.Different, null) : null);
        var saved = Directory.CreateDirectory(Path.Combine(database.Directory, "saved")).FullName;
        await Soffice.ConvertAsync(filled, "xlsx", saved);

        var (run, runId, counts) = await RunAsync(database, new ReconcileDecideJob(Decide(Path.Combine(saved, "filled.xlsx"), apply: true)));

        run.ExitCode.ShouldBe(0, run.Error);
        (counts["decisions"], counts["applied"]).ShouldBe((1L, 1L));
        // Exactly that: she is not the person of this row (remembered); nothing else changed.
        (await database.RowsAsync("SELECT file_id, line_number, atena_number, same FROM match_decision")).ShouldBe([$"1|36|{Woman}|{False(kind)}"]);
        (await DecidedDataAsync(database)).Except(before).ShouldBe([$"1|36|{Woman}|{False(kind)}"]);

        // The next reconcile of that list: she is no candidate for the row any more, and nobody else is.
        var (again, _, againCounts) = await RunAsync(database, new ReconcileJob(new ReconcileOptions { FileId = 1 }));
        again.ExitCode.ShouldBe(0, again.Error);
        (againCounts["review"], againCounts["not_on_file"]).ShouldBe((0L, 1L));
    }

    private static string False(string kind) => kind == "sqlite" ? "0" : "False";

    private static string True(string kind) => kind == "sqlite" ? "1" : "True";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Decisions_OnAChangedRecord_AMissingCandidate_OrAnotherRowsId_AreRefusedWithTheReason_Exit10_NothingApplied(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var workbook = await ReportedAsync(database);
        var filled = Path.Combine(database.Directory, "filled.xlsx");
        WorkbookFill.WithMiniExcel(workbook, filled, (_, row) => IsList(row, CityFiles.JpsCsvFile) ? (DecisionColumns.Candidate1, null) : (DecisionColumns.Candidate2, null));
        // After the report, her record changes (the 住基 sync of the night, say).
        (await database.ExecuteAsync($"UPDATE person SET address = '千葉県千葉市緑区あすみが丘東１丁目３番８号', updated_run_id = 99 WHERE atena_number = '{Woman}'")).ShouldBe(1);
        var before = await DecidedDataAsync(database);

        var (run, runId, counts) = await RunAsync(database, new ReconcileDecideJob(Decide(filled, apply: true)));

        run.ExitCode.ShouldBe(10, run.Error);
        (counts["refused"], counts["applied"]).ShouldBe((2L, 0L));
        (await DecidedDataAsync(database)).ShouldBe(before);
        var list = string.Join("\n", File.ReadAllLines(Path.Combine(database.ReportDirectory, $"decide-{runId}.csv"), Encoding.UTF8));
        list.ShouldContain($"宛名番号 {Woman} の記録は照合の後で変更されています（実行番号 99）");
        list.ShouldContain("候補2 はこの行にありません");
        run.Out.ShouldContain("反映しない");

        // A fingerprint of another row pasted on a row: the digest does not match that row.
        var stored = await database.RowsAsync("SELECT run_id, file_id, line_number, digest FROM reconcile_result WHERE file_id = 1");
        var parts = stored.Single().Split('|');
        var forged = Path.Combine(database.Directory, "forged.xlsx");
        var other = new RowFingerprint(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), 2, 36, parts[3]).ToString();
        WorkbookFill.WithMiniExcel(workbook, forged, (_, row) => { if (IsList(row, CityFiles.JpsFixedFile)) ((Dictionary<string, object?>)row)[DecisionColumns.Fingerprint] = other; return (DecisionColumns.Candidate1, null); });
        var (forgedRun, forgedId, _) = await RunAsync(database, new ReconcileDecideJob(Decide(forged)));
        forgedRun.ExitCode.ShouldBe(10);
        File.ReadAllText(Path.Combine(database.ReportDirectory, $"decide-{forgedId}-dryrun.csv"), Encoding.UTF8).ShouldContain("行の内容が照合結果の行と一致しません");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task ARememberedDecision_MakesHerNextFilingAutomatic_AndAContradictingNumberSendsItBackToReview(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var workbook = await ReportedAsync(database);
        var filled = Path.Combine(database.Directory, "filled.xlsx");
        WorkbookFill.WithMiniExcel(workbook, filled, (_, row) => IsList(row, CityFiles.JpsCsvFile) ? (DecisionColumns.Candidate1, null) : null);
        var (apply, applyRun, _) = await RunAsync(database, new ReconcileDecideJob(Decide(filled, apply: true)));
        apply.ExitCode.ShouldBe(0, apply.Error);

        // A later list with her row as JPS wrote it before: matched by the clerk's decision, no question asked (the address JPS
        // has is still not hers: 差異あり, and the 差異 says so).
        var (report, _) = await ReconcileNextListAsync(database, "later.csv", row => row);
        var line = report.Single(l => l.Contains(",later.csv,", StringComparison.Ordinal));
        line.ShouldContain($",{Verdict.Differs.Label()},{Woman},");
        line.ShouldContain("住所: 機構=");
        line.ShouldContain($"職員の判断による一致（{CalendarToday()}、実行番号 {applyRun}）");

        // The same row carrying a 個人番号 that is not hers: back to 要確認, with the reason.
        var someoneElses = File.ReadLines(Path.Combine(SampleCity, CityFiles.MembersFile)).Skip(1).Select(l => l.Split(',')).First(f => f[0] != Woman && f[^1].Length == 12)[^1];
        var (contradicted, _) = await ReconcileNextListAsync(database, "contradicted.csv", row => row[..row.LastIndexOf(',')] + "," + someoneElses);
        var review = contradicted.Single(l => l.Contains(",contradicted.csv,", StringComparison.Ordinal));
        review.ShouldContain($",{Verdict.Review.Label()},,");
        review.ShouldContain($"個人番号が宛名番号 {Woman} の記録と異なっています");
    }

    private static string CalendarToday() => NenkinBatch.Domain.CalendarDate.ToIso(NenkinBatch.Runtime.BusinessClock.Today(TimeProvider.System));

    /// <summary>Imports a list holding only her row of the sample's CSV list (as <paramref name="edit"/> leaves it) and reconciles it; the report's lines.</summary>
    private static async Task<(string[] Lines, long RunId)> ReconcileNextListAsync(TestDatabase database, string name, Func<string, string> edit)
    {
        var cp932 = TextEncodings.Cp932Strict;
        var lines = File.ReadAllLines(Path.Combine(SampleCity, CityFiles.JpsCsvFile), cp932);
        var path = Path.Combine(database.Directory, name);
        await File.WriteAllLinesAsync(path, [lines[0], edit(lines[35])], cp932);
        var (import, _) = await ImportJobTests.ImportAsync(database, new ImportOptions { Files = [path] });
        import.ExitCode.ShouldBe(0, import.Error);
        var (run, runId, _) = await RunAsync(database, new ReconcileJob(new ReconcileOptions()));
        run.ExitCode.ShouldBe(0, run.Error);
        return (File.ReadAllLines(Path.Combine(database.ReportDirectory, $"reconcile-{runId}.csv"), Encoding.UTF8), runId);
    }
}
