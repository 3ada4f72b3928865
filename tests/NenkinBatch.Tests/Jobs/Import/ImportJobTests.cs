using System.Globalization;
using System.Text.Json;
using NenkinBatch.Foundation;
using NenkinBatch.Formats;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Runtime;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.Import;

public class ImportJobTests
{
    private static string Samples => Path.Combine(AdminProcess.RepositoryRoot, "samples");

    internal static async Task<(InProcess.Run Run, Dictionary<string, long> Counts)> ImportAsync(TestDatabase database, ImportOptions options)
    {
        var run = await InProcess.RunAsync(new ImportJob(options), database.Settings());
        run.Summary.ShouldNotBeNull(run.Error);
        using var summary = JsonDocument.Parse(run.Summary);
        return (run, summary.RootElement.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
    }

    private static string City(TestDatabase database, int people = 3000, int rows = 600)
    {
        var directory = Path.Combine(database.Directory, "city");
        new CityGenerator(new CityOptions { People = people, Seed = 11, JpsRows = rows }).Generate(directory);
        return directory;
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_BothLayouts_EveryRowIn_FieldsAsTheGeneratorWroteThem(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var city = City(database);
        var (run, counts) = await ImportAsync(database, new ImportOptions { Files = [Path.Combine(city, CityFiles.JpsCsvFile), Path.Combine(city, CityFiles.JpsFixedFile)] });

        run.ExitCode.ShouldBe(0, run.Error);
        (counts["read"], counts["imported"], counts["rejected"], counts["files_imported"]).ShouldBe((1200L, 1200L, 0L, 2L));
        (await database.CountAsync("jps_result")).ShouldBe(1200);
        (await database.RowsAsync("SELECT layout FROM jps_result_file ORDER BY file_id")).ShouldBe(["jps-result-csv", "jps-result-fixed"]);

        // Every field of every 50th row, against the file's own text (dates converted here by hand, not by the code under test).
        var generated = File.ReadAllLines(Path.Combine(city, CityFiles.JpsCsvFile), TextEncodings.Cp932Strict).Skip(1).Select(l => l.Split(',')).ToList();
        var stored = await database.RowsAsync("""
            SELECT line_number, filing_code, received_on, basic_pension_number, kana_name, kanji_name, birth_date, sex, postal_code, address, result, error_code
            FROM jps_result WHERE file_id = (SELECT min(file_id) FROM jps_result_file) ORDER BY line_number
            """);
        for (var i = 0; i < generated.Count; i += 50)
        {
            var g = generated[i];
            var s = stored[i].Split('|');
            s[0].ShouldBe((i + 2).ToString(CultureInfo.InvariantCulture)); // the file's line: the header is line 1
            (s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11]).ShouldBe(
                (g[1], Gregorian(g[2]), g[4].Length == 0 ? "∅" : g[4], g[5], g[6], Gregorian(g[7]), g[8], g[9], g[10], g[16], g[17].Length == 0 ? "∅" : g[17]));
        }
        stored.ShouldContain(r => r.Contains('〓'));   // kept as sent
        stored.ShouldContain(r => r.Contains('ﾞ'));    // half-width kana kept as sent
    }

    private static string Gregorian(string wareki)
    {
        var start = wareki[0] switch { '1' => 1867, '3' => 1911, '5' => 1925, '7' => 1988, '9' => 2018, _ => throw new ArgumentException(wareki) };
        return $"{start + int.Parse(wareki.AsSpan(1, 2), CultureInfo.InvariantCulture):D4}-{wareki.Substring(3, 2)}-{wareki.Substring(5, 2)}";
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_SameContentAgain_SkippedWithSuccess_ReimportReplacesAudited(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = Path.Combine(Samples, "city", CityFiles.JpsCsvFile);
        var copy = Path.Combine(database.Directory, "renamed.csv");
        File.Copy(file, copy);
        await ImportAsync(database, new ImportOptions { Files = [file] });

        var (again, againCounts) = await ImportAsync(database, new ImportOptions { Files = [copy] }); // other name, same bytes
        again.ExitCode.ShouldBe(0);
        (againCounts["files_skipped"], againCounts["imported"]).ShouldBe((1L, 0L));
        again.Out.ShouldContain("取り込み済みです");
        (await database.CountAsync("jps_result")).ShouldBe(40);

        var (re, reCounts) = await ImportAsync(database, new ImportOptions { Files = [file], Reimport = true });
        re.ExitCode.ShouldBe(0, re.Error);
        reCounts["imported"].ShouldBe(40);
        (await database.CountAsync("jps_result")).ShouldBe(40);
        (await database.CountAsync("jps_result_file", "replaced_by_run_id IS NOT NULL")).ShouldBe(1);
        (await database.CountAsync("audit_log", "table_name = 'jps_result_file'")).ShouldBe(1);
    }

    [Theory]
    [InlineData("wrong-encoding.csv", (int)ExitCode.InputRejected, "UTF-8 としても CP932", 0)]
    [InlineData("truncated.dat", (int)ExitCode.InputRejected, "最後のレコード（9行目）が 137 バイトで途中で切れています", 0)]
    [InlineData("wrong-count.dat", (int)ExitCode.InputRejected, "データ件数 43", 0)]
    [InlineData("other-city.csv", (int)ExitCode.InputRejected, "市区町村コード 131016", 0)]
    [InlineData("bad-dates.csv", (int)ExitCode.CompletedWithRowErrors, "bad-dates.csv 4行目 項目「生年月日」: 平成32年", 9)]
    [InlineData("bad-check-digits.csv", (int)ExitCode.CompletedWithRowErrors, "項目「個人番号」: 個人番号のチェックデジットが一致しません", 10)]
    public async Task Import_BrokenSamples_ClearMessage_RightExitCode_DatabaseAsExpected(string file, int exitCode, string message, int rowsKept)
    {
        foreach (var kind in new[] { TestDatabase.Sqlite, TestDatabase.Postgres })
        {
            await using var database = await TestDatabase.CreateMigratedAsync(kind);
            var (run, _) = await ImportAsync(database, new ImportOptions { Files = [Path.Combine(Samples, "broken", file)] });
            run.ExitCode.ShouldBe(exitCode, run.Error);
            (run.Out + run.Error).ShouldContain(message);
            (run.Out + run.Error).ShouldContain(file);
            (await database.CountAsync("jps_result")).ShouldBe(rowsKept, kind);
            (await database.CountAsync("jps_result_file")).ShouldBe(rowsKept == 0 ? 0 : 1, kind);
            (await database.CountAsync("run_problem", "severity = 'error'")).ShouldBeGreaterThan(0);
        }
    }

    [Fact]
    public async Task Import_RejectedRows_ListedInAnOperatorCsv_NumbersMasked()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var (run, _) = await ImportAsync(database, new ImportOptions { Files = [Path.Combine(Samples, "broken", "bad-check-digits.csv")] });
        var list = Directory.GetFiles(database.LogDirectory, "import-rejected-*.csv").Single();
        var text = await File.ReadAllTextAsync(list);
        File.ReadAllBytes(list).Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        text.ShouldContain("除外,bad-check-digits.csv,");
        text.ShouldContain("************");
        run.Error.ShouldContain(list);
    }

    [Fact]
    public async Task Inbox_TakesSettledFiles_MovesThemByOutcome()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var inbox = Directory.CreateDirectory(Path.Combine(database.Directory, "inbox")).FullName;
        File.Copy(Path.Combine(Samples, "city", CityFiles.JpsCsvFile), Path.Combine(inbox, "a.csv"));
        File.Copy(Path.Combine(Samples, "broken", "truncated.dat"), Path.Combine(inbox, "b.dat"));

        var (run, counts) = await ImportAsync(database, new ImportOptions { Inbox = inbox, Settle = TimeSpan.FromMilliseconds(50) });

        run.ExitCode.ShouldBe((int)ExitCode.InputRejected);
        (counts["files_imported"], counts["files_rejected"]).ShouldBe((1L, 1L));
        File.Exists(Path.Combine(inbox, "processed", "a.csv")).ShouldBeTrue();
        File.Exists(Path.Combine(inbox, "rejected", "b.dat")).ShouldBeTrue();
        (await File.ReadAllTextAsync(Path.Combine(inbox, "rejected", "b.dat.reason.txt"))).ShouldContain("途中で切れています");
        Directory.GetFiles(inbox).ShouldBeEmpty();

        var (second, secondCounts) = await ImportAsync(database, new ImportOptions { Inbox = inbox, Settle = TimeSpan.Zero });
        second.ExitCode.ShouldBe(0);
        secondCounts["files_imported"].ShouldBe(0);
    }

    [Fact]
    public async Task Inbox_FileStillGrowing_LeftForTheNextRun()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var inbox = Directory.CreateDirectory(Path.Combine(database.Directory, "inbox")).FullName;
        var growing = Path.Combine(inbox, "arriving.csv");
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Samples, "city", CityFiles.JpsCsvFile));
        await using (var writer = new FileStream(growing, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
        {
            // The transfer keeps writing a little at a time for as long as the import looks at the folder.
            var written = 0;
            var import = ImportAsync(database, new ImportOptions { Inbox = inbox, Settle = TimeSpan.FromMilliseconds(400) });
            while (!import.IsCompleted && written < bytes.Length - 20)
            {
                await writer.WriteAsync(bytes.AsMemory(written, 20));
                await writer.FlushAsync();
                written += 20;
                await Task.Delay(20);
            }
            var (run, counts) = await import;
            written.ShouldBeLessThan(bytes.Length - 20, "the import outlasted the whole transfer; the test proves nothing");
            run.ExitCode.ShouldBe(0, run.Error);
            counts["files_imported"].ShouldBe(0);
            run.Out.ShouldContain("書き込み中");
            await writer.WriteAsync(bytes.AsMemory(written));
        }
        File.Exists(growing).ShouldBeTrue();
        var (next, nextCounts) = await ImportAsync(database, new ImportOptions { Inbox = inbox, Settle = TimeSpan.FromMilliseconds(50) });
        (next.ExitCode, nextCounts["imported"]).ShouldBe((0, 40L));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_DryRun_CountsEverythingKeepsNothing_LeavesTheInbox(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var inbox = Directory.CreateDirectory(Path.Combine(database.Directory, "inbox")).FullName;
        File.Copy(Path.Combine(Samples, "city", CityFiles.JpsCsvFile), Path.Combine(inbox, "a.csv"));
        var run = await InProcess.RunAsync(new ImportJob(new ImportOptions { Inbox = inbox, Settle = TimeSpan.Zero }), database.Settings(), dryRun: true);
        run.ExitCode.ShouldBe(0, run.Error);
        run.Summary!.ShouldContain("\"imported\": 40");
        (await database.CountAsync("jps_result")).ShouldBe(0);
        (await database.CountAsync("jps_result_file")).ShouldBe(0);
        File.Exists(Path.Combine(inbox, "a.csv")).ShouldBeTrue();
    }
}
