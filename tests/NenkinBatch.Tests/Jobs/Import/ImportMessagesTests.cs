using System.Globalization;
using NenkinBatch.Foundation;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.Import;

/// <summary>Every message points at the right place — the file's own line, header included — and says what is really wrong.</summary>
public class ImportMessagesTests
{
    private static string Broken(string file) => Path.Combine(AdminProcess.RepositoryRoot, "samples", "broken", file);

    private static Task<(InProcess.Run Run, Dictionary<string, long> Counts)> ImportAsync(TestDatabase database, string file) =>
        ImportJobTests.ImportAsync(database, new ImportOptions { Files = [file], Settle = TimeSpan.Zero });

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_RejectedRows_TheFilesLineNumbers_InMessagesListAndStore(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);

        var (run, _) = await ImportAsync(database, Broken("bad-dates.csv"));

        // The bad rows are the 3rd, 6th and 9th data rows: lines 4, 7 and 10 of the file.
        run.Error.ShouldContain("bad-dates.csv 4行目 項目「生年月日」");
        run.Error.ShouldContain("bad-dates.csv 7行目 項目「受付年月日」");
        run.Error.ShouldContain("bad-dates.csv 10行目 項目「処理年月日」");
        var list = await File.ReadAllTextAsync(Directory.GetFiles(database.LogDirectory, "import-rejected-*.csv").Single());
        list.ShouldContain("除外,bad-dates.csv,4,生年月日,");
        (await database.RowsAsync("SELECT line_number FROM run_problem WHERE severity = 'error' ORDER BY line_number")).ShouldBe(["4", "7", "10"]);
        (await database.RowsAsync("SELECT line_number FROM jps_result ORDER BY line_number")).ShouldBe(["2", "3", "5", "6", "8", "9", "11", "12", "13"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_FixedLayout_StoredLinesCountTheHeaderRecord(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var path = SampleLists.Write(database.Directory, "list.dat", SampleLists.Fixed);

        var (run, _) = await ImportAsync(database, path);

        run.ExitCode.ShouldBe((int)ExitCode.Success, run.Error);
        (await database.RowsAsync("SELECT min(line_number), max(line_number) FROM jps_result")).ShouldBe(["2|41"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_UndecodableByte_MessageNamesItsLineAndByteOffset(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var lines = SampleLists.CsvLines();
        var kanji = SampleLists.Fields(lines[11])[6];
        lines[11] = SampleLists.WithField(lines[11], 6, [.. kanji[..2], 0x85, 0x40, .. kanji[2..]]); // 0x8540: no character in CP932
        var offset = SampleLists.Join(lines.Take(11)).Length + SampleLists.Fields(lines[11]).Take(6).Sum(f => f.Length + 1) + 2 + 1;
        var path = SampleLists.Write(database.Directory, "bad-byte.csv", SampleLists.Join(lines));

        var (run, _) = await ImportAsync(database, path);

        run.ExitCode.ShouldBe((int)ExitCode.InputRejected, run.Error);
        run.Error.ShouldContain($"bad-byte.csv: 12行目（ファイルの先頭から {offset.ToString("N0", CultureInfo.InvariantCulture)} バイト目、0x85 0x40）にUTF-8 としても CP932（Shift_JIS）としても読めないバイトがあります");
        (await database.CountAsync("jps_result_file")).ShouldBe(0);
    }

    [Fact]
    public async Task Import_Utf16List_NotNear1stLineAnyMore_ButWhereItStops()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var (run, _) = await ImportAsync(database, Broken("wrong-encoding.csv"));
        run.ExitCode.ShouldBe((int)ExitCode.InputRejected);
        run.Error.ShouldNotContain("付近");
        run.Error.ShouldMatch(@"wrong-encoding\.csv: \d+行目（ファイルの先頭から [\d,]+ バイト目、0x[0-9A-F]{2}");
    }

    [Theory]
    [InlineData(301, "3行目のレコードが 301 バイトで、300 バイトではありません")]
    [InlineData(299, "3行目のレコードが 299 バイトで、300 バイトではありません")]
    public async Task Import_FixedRecordOfAnotherLength_RefusedNamingItsLineAndLength(int length, string message)
    {
        foreach (var kind in new[] { TestDatabase.Sqlite, TestDatabase.Postgres })
        {
            await using var database = await TestDatabase.CreateMigratedAsync(kind);
            var records = SampleLists.FixedRecords();
            records[2] = length > 300 ? [.. records[2], (byte)' '] : records[2][..length];
            var path = SampleLists.Write(database.Directory, "length.dat", SampleLists.Join(records));

            var (run, _) = await ImportAsync(database, path);

            run.ExitCode.ShouldBe((int)ExitCode.InputRejected, run.Error);
            run.Error.ShouldContain($"length.dat: {message}");
            run.Error.ShouldNotContain("最後のレコード");
            (await database.CountAsync("jps_result")).ShouldBe(0);
        }
    }

    [Theory]
    [InlineData("00000004X", "トレーラーレコード（42行目）のデータ件数「00000004X」が数字ではありません")]
    [InlineData("         ", "トレーラーレコード（42行目）のデータ件数が空です")]
    public async Task Import_TrailerCountNotANumber_SaysSo(string count, string message)
    {
        foreach (var kind in new[] { TestDatabase.Sqlite, TestDatabase.Postgres })
        {
            await using var database = await TestDatabase.CreateMigratedAsync(kind);
            var records = SampleLists.FixedRecords();
            records[^1] = [.. records[^1][..1], .. System.Text.Encoding.ASCII.GetBytes(count), .. records[^1][10..]];
            var path = SampleLists.Write(database.Directory, "count.dat", SampleLists.Join(records));

            var (run, _) = await ImportAsync(database, path);

            run.ExitCode.ShouldBe((int)ExitCode.InputRejected, run.Error);
            run.Error.ShouldContain($"count.dat: {message}");
            run.Error.ShouldNotContain("データ件数 -1");
            (await database.CountAsync("jps_result")).ShouldBe(0);
        }
    }
}
