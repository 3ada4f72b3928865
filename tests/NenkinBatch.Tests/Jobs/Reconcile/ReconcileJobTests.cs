using System.IO.Compression;
using System.Text;
using System.Text.Json;
using NenkinBatch.Foundation;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Reports;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Jobs.Reconcile;
using NenkinBatch.Persistence.Reconcile;
using NenkinBatch.Domain;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Jobs.Import;
using NenkinBatch.Tests.Support;
using NenkinBatch.Tests.Synthetic;

namespace NenkinBatch.Tests.Jobs.Reconcile;

public class ReconcileJobTests
{
    private static string SampleCity => Path.Combine(AdminProcess.RepositoryRoot, "samples", "city");

    /// <summary>Everything reconcile may change, as text: persons, 資格, recorded filings.</summary>
    private static async Task<List<string>> BusinessDataAsync(TestDatabase database) =>
    [
        .. await database.RowsAsync("SELECT atena_number, basic_pension_number, updated_run_id FROM person ORDER BY atena_number"),
        .. await database.RowsAsync("SELECT atena_number, acquired_on, insured_category, acquisition_reason, lost_on, loss_reason, updated_run_id FROM qualification ORDER BY atena_number, acquired_on"),
        .. await database.RowsAsync("SELECT file_id, line_number, atena_number, filing_code, received_on, processed_on FROM jps_filing_processed ORDER BY file_id, line_number"),
    ];

    /// <summary>The nightly chain up to reconcile: the city's records, the 住基's history (former addresses and names), the lists.</summary>
    internal static async Task LoadAndImportAsync(TestDatabase database, string city, params string[] lists)
    {
        (await InProcess.RunAsync(new LoadMembersJob(Path.Combine(city, CityFiles.MembersFile)), database.Settings())).ExitCode.ShouldBe(0);
        // The sync's follow-up lists go to a folder of their own: the report folder is reconcile's to check.
        var (sync, _) = await JukiSync.JukiSyncJobTests.SyncAsync(database, [Path.Combine(city, CityFiles.JukiHistoryFile)], clock: TimeProvider.System,
            reportDirectory: Path.Combine(database.Directory, "juki-reports"));
        sync.ExitCode.ShouldBe(0, sync.Error);
        var (import, _) = await ImportJobTests.ImportAsync(database, new ImportOptions { Files = lists.Select(l => Path.Combine(city, l)).ToList() });
        import.ExitCode.ShouldBe(0, import.Error);
    }

    private static async Task<(InProcess.Run Run, Dictionary<string, long> Counts)> ReconcileAsync(TestDatabase database, ReconcileOptions? options = null)
    {
        var run = await InProcess.RunAsync(new ReconcileJob(options ?? new ReconcileOptions()), database.Settings(chunkSize: 20));
        run.Summary.ShouldNotBeNull(run.Error);
        using var summary = JsonDocument.Parse(run.Summary);
        return (run, summary.RootElement.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
    }

    private static long RunIdOf(InProcess.Run run)
    {
        using var summary = JsonDocument.Parse(run.Summary!);
        return summary.RootElement.GetProperty("run_id").GetInt64();
    }

    private static string ReportOf(TestDatabase database, InProcess.Run run) => Path.Combine(database.ReportDirectory, $"reconcile-{RunIdOf(run)}.csv");

    /// <summary>
    /// The rows a clerk may decide are stored on a task of their own: when it stops (here: the job's lock is lost), the run stops
    /// with that reason and its exit code — not with the queue's — and leaves no report, published or not.
    /// </summary>
    [Fact]
    public async Task DryRun_LockLostWhileTheDecidableRowsAreStored_Exit30_NoReportLeft()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Postgres);
        var city = Path.Combine(database.Directory, "city");
        new CityGenerator(new CityOptions { People = 2_000, Seed = 3, JpsRows = 1_000, JukiChanges = 10 }).Generate(city);
        await LoadAndImportAsync(database, city, CityFiles.JpsCsvFile);

        // Chunks of 5: many batches of decidable rows, so the report goes on making them after the storing has stopped.
        var reconcile = InProcess.RunAsync(new ReconcileJob(new ReconcileOptions()), database.Settings(chunkSize: 5));
        var killed = 0;
        await using (var admin = new Npgsql.NpgsqlConnection(TestDatabase.PostgresServer))
        {
            await admin.OpenAsync();
            while (!reconcile.IsCompleted && killed == 0)
            {
                // Once it holds the job's lock (a connection killed while it asks for the lock is retried, and the run goes on).
                await using var kill = new Npgsql.NpgsqlCommand("""
                    SELECT count(pg_terminate_backend(a.pid)) FROM pg_stat_activity a
                    WHERE a.application_name = @app AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory' AND l.granted)
                    """, admin);
                kill.Parameters.AddWithValue("app", $"nenkin-{database.Schema}-lock");
                killed = Convert.ToInt32(await kill.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                if (killed == 0) await Task.Delay(2);
            }
        }
        var run = await reconcile;

        killed.ShouldBe(1);
        run.ExitCode.ShouldBe((int)ExitCode.RefusedBySafetyRule, run.Error);
        run.Error.ShouldContain("ロックが失われました");
        Directory.EnumerateFiles(database.ReportDirectory, "reconcile-*").ShouldBeEmpty();
        database.Reconnect();
        (await database.CountAsync("jps_result_reconciled")).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task DryRun_WritesBothReports_ChangesNothing_AndTheNextNightHasNothingLeft(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        await LoadAndImportAsync(database, SampleCity, CityFiles.JpsCsvFile, CityFiles.JpsFixedFile);
        var before = await BusinessDataAsync(database);

        var (run, counts) = await ReconcileAsync(database);

        run.ExitCode.ShouldBe(0, run.Error);
        (await BusinessDataAsync(database)).ShouldBe(before);
        (await database.CountAsync("audit_log", "job = 'reconcile'")).ShouldBe(0);

        var csv = ReportOf(database, run);
        var bytes = await File.ReadAllBytesAsync(csv);
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        text.ShouldEndWith("\r\n");
        text.Replace("\r\n", "", StringComparison.Ordinal).ShouldNotContain('\n');
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe(string.Join(",", ReconcileReportRow.Headers));
        // One row per list row (40 in each of the two lists), then the local-only findings.
        lines.Count(l => l.Contains(",jps-result.csv,", StringComparison.Ordinal)).ShouldBe(40);
        lines.Count(l => l.Contains(",jps-result.dat,", StringComparison.Ordinal)).ShouldBe(40);
        counts["rows"].ShouldBe(80);
        foreach (var (verdict, name) in new[] { (Verdict.Match.Label(), "match"), (Verdict.Differs.Label(), "differs"), (Verdict.NotOnFile.Label(), "not_on_file"), (Verdict.Returned.Label(), "returned"), (Verdict.Unreflected.Label(), "unreflected") })
            lines.Count(l => l.Split(',')[9] == verdict).ShouldBe((int)counts[name], verdict);
        counts["match"].ShouldBeGreaterThan(60);
        (counts["differs"], counts["not_on_file"], counts["returned"], counts["unreflected"]).ShouldBe((9L, 0L, 2L, 4L));
        run.Out.ShouldContain("判定別: 一致 67、差異あり 9、市未登録 0、要確認 2、返戻 2、機構未反映 4");
        run.Out.ShouldContain(csv);

        // The line JPS's number fills in, and its evidence and proposal, as a clerk reads them.
        // JPS knows her by her maiden name; the 住基's 氏名履歴 does too, so she is found, and the 根拠 says how.
        lines.ShouldContain(l => l.StartsWith($"{RunIdOf(run)},jps-result.csv,13,31 老齢基礎年金裁定請求,処理済,7312135018,佐藤　結衣,ｻﾄｳ ﾕｲ,1943-09-06（昭和18年9月6日）,差異あり,1000001380,", StringComparison.Ordinal)
            && l.Contains("旧氏名で一致（2026-01-26まで）", StringComparison.Ordinal)
            && l.Contains("基礎年金番号: 機構=7312135018 市=なし; 氏名: 機構は旧氏名（2026-01-26まで）,市の記録に基礎年金番号を記録; 氏名変更が機構に届いているか確認する; 機構の処理済を記録", StringComparison.Ordinal));

        // The workbook: a summary first, then one sheet per 判定 but 一致.
        using (var book = ZipFile.OpenRead(Path.ChangeExtension(csv, ".xlsx")))
        {
            using var workbook = new StreamReader(book.GetEntry("xl/workbook.xml")!.Open());
            var xml = await workbook.ReadToEndAsync();
            var sheets = System.Text.RegularExpressions.Regex.Matches(xml, "<sheet name=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
            sheets.ShouldBe(["集計", Verdict.Differs.Label(), Verdict.NotOnFile.Label(), Verdict.Review.Label(), Verdict.Returned.Label(), Verdict.Unreflected.Label()]);
        }
        Directory.GetFiles(database.ReportDirectory).Select(Path.GetFileName).ShouldBe([$"reconcile-{RunIdOf(run)}.csv", $"reconcile-{RunIdOf(run)}.xlsx"], ignoreOrder: true);

        // No 個人番号 anywhere in what the office reads.
        var numbers = File.ReadLines(Path.Combine(SampleCity, CityFiles.MembersFile)).Skip(1).Select(l => l.Split(',')[^1]).Where(n => n.Length == 12).ToList();
        numbers.Count.ShouldBeGreaterThan(100);
        numbers.ShouldNotContain(n => text.Contains(n, StringComparison.Ordinal));

        // The next night: nothing new imported, nothing to reconcile, no report.
        var (again, _) = await ReconcileAsync(database);
        again.ExitCode.ShouldBe(0);
        again.Out.ShouldContain("照合していない一覧表はありません");
        Directory.GetFiles(database.ReportDirectory).Length.ShouldBe(2);

        // Asked again for the same list: the same report, row for row, but for the run number.
        var (rerun, _) = await ReconcileAsync(database, new ReconcileOptions { FileId = 1 });
        static bool ListRow(string l) => l.Contains(",jps-result.csv,", StringComparison.Ordinal) && l.Split(',')[2].Length > 0;
        var first = lines.Where(ListRow).Select(l => l[l.IndexOf(',')..]).ToList();
        var second = File.ReadAllLines(ReportOf(database, rerun)).Where(ListRow).Select(l => l[l.IndexOf(',')..]).ToList();
        first.Count.ShouldBe(40);
        second.ShouldBe(first);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Apply_DoesOnlyTheSafeChanges_TwiceChangesNothing_UndoRestoresEverything(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        await LoadAndImportAsync(database, SampleCity, CityFiles.JpsCsvFile, CityFiles.JpsFixedFile);
        var before = await BusinessDataAsync(database);

        var (apply, counts) = await ReconcileAsync(database, new ReconcileOptions { Apply = true });

        apply.ExitCode.ShouldBe(0, apply.Error);
        var applied = await BusinessDataAsync(database);
        applied.ShouldNotBe(before);
        var run = RunIdOf(apply);
        (await database.RowsAsync("SELECT basic_pension_number, updated_run_id FROM person WHERE atena_number = '1000001380'")).ShouldBe([$"7312135018|{run}"]);
        (await database.RowsAsync("SELECT lost_on, loss_reason FROM qualification WHERE atena_number = '1000002050' ORDER BY acquired_on DESC")).First().ShouldBe("2026-08-01|14");
        // Every 処理済 row matched beyond doubt is recorded as processed; nothing about the others.
        var recorded = await database.CountAsync("jps_filing_processed");
        recorded.ShouldBeGreaterThan(60);
        recorded.ShouldBeLessThan(80);
        (await database.CountAsync("audit_log", $"run_id = {run}")).ShouldBe(counts["applied"]);
        // Besides the filings recorded: two 基礎年金番号 filled (one for a woman JPS knows by her maiden name) and one 喪失日.
        counts["applied"].ShouldBe(recorded + 3);

        // Applied lists are not applied again by default; asked for explicitly, nothing is left to change.
        var (nothingLeft, _) = await ReconcileAsync(database, new ReconcileOptions { Apply = true });
        nothingLeft.Out.ShouldContain("適用していない一覧表はありません");
        var (twice, twiceCounts) = await ReconcileAsync(database, new ReconcileOptions { Apply = true, FileId = 1 });
        twice.ExitCode.ShouldBe(0);
        twiceCounts["applied"].ShouldBe(0);
        (await BusinessDataAsync(database)).ShouldBe(applied);

        var undo = await InProcess.RunAsync(new ReconcileUndoJob(run), database.Settings(chunkSize: 20));
        undo.ExitCode.ShouldBe(0, undo.Error);
        (await BusinessDataAsync(database)).ShouldBe(before);
        (await database.CountAsync("audit_log", "job = 'reconcile-undo'")).ShouldBe(counts["applied"]);
        (await database.CountAsync("jps_result_reconciled", $"applied_run_id = {run}")).ShouldBe(0);

        // Undo again: everything is found already reverted, nothing is touched.
        var again = await InProcess.RunAsync(new ReconcileUndoJob(run), database.Settings());
        again.ExitCode.ShouldBe(0, again.Error);
        (await BusinessDataAsync(database)).ShouldBe(before);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Apply_TwoRowsAboutOneEventWithDifferentDates_TheLatestWins_ApplyTwiceIsANoOp_UndoOfEitherRunWorks(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        // The sample list, and JPS's later word on 佐藤 晃's 喪失 (08-01 in line 20): 08-05, processed two days after.
        var sample = File.ReadAllLines(Path.Combine(SampleCity, CityFiles.JpsCsvFile), TextEncodings.Cp932Strict);
        var first = sample.Single(l => l.Contains(",5159331005,", StringComparison.Ordinal));
        first.ShouldContain(",9080816,9080823,");
        var later = first.Replace(",9080816,9080823,", ",9080816,9080825,", StringComparison.Ordinal).Replace(",9080801,14,", ",9080805,14,", StringComparison.Ordinal);
        var list = Path.Combine(database.Directory, "jps-result-corrected.csv");
        File.WriteAllLines(list, [.. sample, later], TextEncodings.Cp932Strict);
        (await InProcess.RunAsync(new LoadMembersJob(Path.Combine(SampleCity, CityFiles.MembersFile)), database.Settings())).ExitCode.ShouldBe(0);
        (await ImportJobTests.ImportAsync(database, new ImportOptions { Files = [list] })).Run.ExitCode.ShouldBe(0);
        var before = await BusinessDataAsync(database);
        const string lossOf = "SELECT lost_on FROM qualification WHERE atena_number = '1000002050' ORDER BY acquired_on DESC";

        var (apply, counts) = await ReconcileAsync(database, new ReconcileOptions { Apply = true });

        apply.ExitCode.ShouldBe(0, apply.Error);
        (await database.RowsAsync(lossOf)).First().ShouldBe("2026-08-05");
        var run = RunIdOf(apply);
        // One change for the event, not one per row: the 喪失日 was set once.
        (await database.CountAsync("audit_log", $"run_id = {run} AND table_name = 'qualification' AND record_key LIKE '121002/qualification/1000002050/%'")).ShouldBe(1);
        var report = File.ReadAllLines(ReportOf(database, apply));
        report.Single(l => l.Contains(",5159331005,", StringComparison.Ordinal) && l.Contains("2026-08-01", StringComparison.Ordinal))
            .ShouldContain($"同じ届出の後の処理結果（jps-result-corrected.csv {(await database.RowsAsync("SELECT max(line_number) FROM jps_result")).Single()}行目）を適用するため");
        var applied = await BusinessDataAsync(database);

        var (twice, twiceCounts) = await ReconcileAsync(database, new ReconcileOptions { Apply = true, FileId = 1 });

        twice.ExitCode.ShouldBe(0, twice.Error);
        twiceCounts["applied"].ShouldBe(0);
        (await database.CountAsync("audit_log", $"run_id = {RunIdOf(twice)}")).ShouldBe(0);
        (await BusinessDataAsync(database)).ShouldBe(applied);
        (await InProcess.RunAsync(new ReconcileUndoJob(RunIdOf(twice)), database.Settings())).ExitCode.ShouldBe(0);
        (await BusinessDataAsync(database)).ShouldBe(applied);
        var undo = await InProcess.RunAsync(new ReconcileUndoJob(run), database.Settings());
        undo.ExitCode.ShouldBe(0, undo.Error);
        (await BusinessDataAsync(database)).ShouldBe(before);
        counts["applied"].ShouldBeGreaterThan(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task DryRun_RemovesWhatKilledRunsLeftInTheReportFolder_AndLeavesNoScratchOfItsOwn(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        await LoadAndImportAsync(database, SampleCity, CityFiles.JpsCsvFile);
        Directory.CreateDirectory(database.ReportDirectory);
        string[] leftovers = ["reconcile-1.csv.partial", "reconcile-1.xlsx.partial", ".reconcile-1-3.spill", "reconcile-0.csv"];
        foreach (var file in leftovers) await File.WriteAllTextAsync(Path.Combine(database.ReportDirectory, file), "x");

        var (run, _) = await ReconcileAsync(database);

        run.ExitCode.ShouldBe(0, run.Error);
        var id = RunIdOf(run);
        // A finished report of another run is the clerks' and stays.
        Directory.GetFiles(database.ReportDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe(["reconcile-0.csv", $"reconcile-{id}.csv", $"reconcile-{id}.xlsx"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Apply_StoppedAfterItsLastChunk_AnotherSelectionAndUndoAreRefused_TheSameCommandFinishesIt(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        await LoadAndImportAsync(database, SampleCity, CityFiles.JpsCsvFile);
        var (apply, counts) = await ReconcileAsync(database, new ReconcileOptions { Apply = true });
        apply.ExitCode.ShouldBe(0, apply.Error);
        var run = RunIdOf(apply);
        var applied = await BusinessDataAsync(database);
        var report = await File.ReadAllBytesAsync(ReportOf(database, apply));
        // As a kill after the last chunk's commit leaves it: every change in, the report not yet published, the lists not marked.
        await using (var connection = await database.Store.OpenAsync(CancellationToken.None))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"UPDATE reconcile_plan SET state = 'READY', completed_by_run_id = NULL WHERE run_id = {run}; DELETE FROM jps_result_reconciled";
            await command.ExecuteNonQueryAsync();
        }
        File.Move(ReportOf(database, apply), ReportOf(database, apply) + ".partial");

        var other = await InProcess.RunAsync(new ReconcileJob(new ReconcileOptions { Apply = true, FileId = 1 }), database.Settings());
        other.ExitCode.ShouldBe(30, other.Error);
        other.Error.ShouldContain($"実行番号 {run} の適用（未適用の一覧表）が途中で止まっています");
        var undo = await InProcess.RunAsync(new ReconcileUndoJob(run), database.Settings());
        undo.ExitCode.ShouldBe(30, undo.Error);
        (await BusinessDataAsync(database)).ShouldBe(applied);
        // The nightly report-only run in between leaves the waiting report alone.
        (await ReconcileAsync(database)).Run.ExitCode.ShouldBe(0);
        File.Exists(ReportOf(database, apply) + ".partial").ShouldBeTrue();

        var (finish, finishCounts) = await ReconcileAsync(database, new ReconcileOptions { Apply = true });

        finish.ExitCode.ShouldBe(0, finish.Error);
        finish.Out.ShouldContain($"実行番号 {run} の適用は変更をすべて終えたところで止まっていました");
        finishCounts["applied"].ShouldBe(counts["applied"]); // the plan's changes, whichever run applied them
        finishCounts["rows"].ShouldBe(counts["rows"]);
        (await File.ReadAllBytesAsync(ReportOf(database, apply))).ShouldBe(report);
        File.Exists(ReportOf(database, apply) + ".partial").ShouldBeFalse();
        (await database.RowsAsync($"SELECT applied_run_id FROM jps_result_reconciled")).ShouldBe([run.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        (await BusinessDataAsync(database)).ShouldBe(applied);
        // Undo of the run that finished the plan undoes the plan.
        (await InProcess.RunAsync(new ReconcileUndoJob(RunIdOf(finish)), database.Settings())).ExitCode.ShouldBe(0);
        (await database.CountAsync("jps_filing_processed")).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Apply_ARecordChangedBetweenDecidingAndApplying_IsLeftAlone_CountedAndExit10(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        await LoadAndImportAsync(database, SampleCity, CityFiles.JpsCsvFile);
        var before = await BusinessDataAsync(database);
        var audit = await database.CountAsync("audit_log");
        // A plan decided, kept and stopped before its chunk: one change still fits the records, two no longer do
        // (the person's row was updated by another run since, the 資格 period is not the one the change was decided on).
        var planRun = long.Parse((await database.RowsAsync("SELECT max(run_id) FROM batch_run")).Single(), System.Globalization.CultureInfo.InvariantCulture);
        var period = new PeriodOnFile(new DateOnly(1990, 4, 1), 1, null, null, null, 1);
        SafeChange[] changes =
        [
            new FillPensionNumber("1000001380", "7312135018", UpdatedRunIdBefore: 999),
            new UpdatePeriod("1000002050", period, period with { LostOn = new DateOnly(2026, 8, 1) }),
            new RecordFiling("1000001380", 1, 13, "31", new DateOnly(2026, 8, 1), new DateOnly(2026, 8, 20)),
        ];
        var csv = Path.Combine(database.ReportDirectory, $"reconcile-{planRun}.csv");
        Directory.CreateDirectory(database.ReportDirectory);
        await File.WriteAllTextAsync(csv + ".partial", "report");
        await File.WriteAllTextAsync(Path.ChangeExtension(csv, ".xlsx") + ".partial", "workbook");
        await using (var connection = await database.Store.OpenAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ReconcilePlans.BeginAsync(connection, transaction, TestDatabase.Municipality, planRun, "未適用の一覧表|apply", "未適用の一覧表", [1], default);
            await ReconcilePlans.AddChunkAsync(connection, transaction, planRun, 0, changes, default);
            await ReconcilePlans.ReadyAsync(connection, transaction,
                new ReconcilePlan(planRun, "未適用の一覧表|apply", "未適用の一覧表", [1], PlanState.Ready, 1, 0, """{"rows":40}""", csv, Path.ChangeExtension(csv, ".xlsx")), default);
            await transaction.CommitAsync();
        }

        var (apply, counts) = await ReconcileAsync(database, new ReconcileOptions { Apply = true });

        apply.ExitCode.ShouldBe(10, apply.Error);
        counts["applied"].ShouldBe(1);
        counts["not_applied"].ShouldBe(2);
        apply.Error.ShouldContain("判定の後で記録が変わっていたため適用していません");
        (await database.CountAsync("audit_log")).ShouldBe(audit + 1);
        (await database.RowsAsync("SELECT basic_pension_number FROM person WHERE atena_number = '1000001380'")).ShouldBe(["∅"]);
        (await database.CountAsync("jps_filing_processed")).ShouldBe(1);
        (await BusinessDataAsync(database)).Count.ShouldBe(before.Count + 1);
        File.ReadAllText(csv).ShouldBe("report");
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Undo_LeavesARowChangedSinceTheApply_AndListsIt(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        await LoadAndImportAsync(database, SampleCity, CityFiles.JpsCsvFile);
        var (apply, _) = await ReconcileAsync(database, new ReconcileOptions { Apply = true });
        var run = RunIdOf(apply);
        // A clerk corrects the filled number afterwards (another run, as a later job would).
        await using (var connection = await database.Store.OpenAsync(CancellationToken.None))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"UPDATE person SET basic_pension_number = '7312135019', updated_run_id = {run + 100} WHERE atena_number = '1000001380'";
            (await command.ExecuteNonQueryAsync()).ShouldBe(1);
        }

        var undo = await InProcess.RunAsync(new ReconcileUndoJob(run), database.Settings());

        undo.ExitCode.ShouldBe(10, undo.Error);
        (await database.RowsAsync("SELECT basic_pension_number FROM person WHERE atena_number = '1000001380'")).ShouldBe(["7312135019"]);
        (await database.CountAsync("jps_filing_processed")).ShouldBe(0);
        var list = Directory.GetFiles(database.ReportDirectory, "reconcile-undo-*.csv").ShouldHaveSingleItem();
        File.ReadAllText(list).ShouldContain(",person,121002/person/1000001380,");
        (undo.Out + undo.Error).ShouldContain("取り消していません");
    }
}

/// <summary>The matcher's accuracy bar on the generated city of the test fixture (20,000 people, 3,000 rows, the full perturbation mix).</summary>
public class ReconcileAccuracyTests(GeneratedCity city) : IClassFixture<GeneratedCity>
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task GeneratedCity_AutomaticMatchesRight_FewReviews_NoRelativeTwinOrNamesakeMatchedWrongly(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        await ReconcileJobTests.LoadAndImportAsync(database, city.Directory, CityFiles.JpsCsvFile);
        var run = await InProcess.RunAsync(new ReconcileJob(new ReconcileOptions()), database.Settings());
        run.ExitCode.ShouldBe(0, run.Error);

        var accuracy = await MatchAccuracy.MeasureAsync(city.File(CityFiles.TruthFile), Directory.GetFiles(database.ReportDirectory, "reconcile-*.csv").Single(), CityFiles.JpsCsvFile,
            registerSynced: true);

        accuracy.Rows.ShouldBe(3000);
        // Never the wrong person; nearly everyone on file automatically; few rows for a clerk.
        accuracy.Precision.ShouldBe(1.0, accuracy.ToString());
        accuracy.Recall.ShouldBeGreaterThanOrEqualTo(0.97, accuracy.ToString());
        accuracy.ReviewShare.ShouldBeLessThanOrEqualTo(0.04, accuracy.ToString());
        accuracy.RowsByCase.Keys.ShouldContain("twin");
        accuracy.RowsByCase.Keys.ShouldContain("relative-not-on-file");
        foreach (var dangerous in new[] { "twin", "relative-not-on-file", "nobody-on-file", "wrong-pension-number", "homophone" })
            accuracy.WrongByCase.ShouldNotContainKey(dangerous);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Apply_OnTheHostileCity_ChangesOnlyPeopleTheListIsReallyAbout(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        await ReconcileJobTests.LoadAndImportAsync(database, city.Directory, CityFiles.JpsCsvFile);
        var apply = await InProcess.RunAsync(new ReconcileJob(new ReconcileOptions { Apply = true }), database.Settings());
        apply.ExitCode.ShouldBe(0, apply.Error);

        // Whom the list's rows are really about (a resident the 国民年金 file lacks is on file once the register is synced).
        var about = city.Truth().Where(t => t[0] == "jps").SelectMany(t => new[] { t[2], t.Length > 4 ? t[4] : "" }).Where(a => a.Length > 0).ToHashSet(StringComparer.Ordinal);
        var changed = (await database.RowsAsync("SELECT record_key FROM audit_log WHERE job = 'reconcile' AND table_name IN ('person', 'qualification')"))
            .Select(key => key.Split('/')[2]).Distinct(StringComparer.Ordinal).ToList();
        changed.Count.ShouldBeGreaterThan(50);
        changed.Where(atena => !about.Contains(atena)).ShouldBeEmpty("people --apply changed whom no list row is about");
    }
}
