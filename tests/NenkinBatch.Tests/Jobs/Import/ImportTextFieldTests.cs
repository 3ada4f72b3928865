using NenkinBatch.Foundation;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.Import;

/// <summary>Text fields hold what a register holds: no control characters, no more than the layout's maximum, and a row once.</summary>
public class ImportTextFieldTests
{
    private static Task<(InProcess.Run Run, Dictionary<string, long> Counts)> ImportAsync(TestDatabase database, string file) =>
        ImportJobTests.ImportAsync(database, new ImportOptions { Files = [file], Settle = TimeSpan.Zero });

    private static string RejectedList(TestDatabase database) =>
        File.ReadAllText(Directory.GetFiles(database.LogDirectory, "import-rejected-*.csv").Single());

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_ControlCharactersInTextFields_RowRejectedFieldNamed_NeverEchoed(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var lines = SampleLists.CsvLines();
        byte[] With(int line, int field, Func<byte[], byte[]> change) => SampleLists.WithField(lines[line], field, change(SampleLists.Fields(lines[line])[field]));
        lines[2] = With(2, 6, v => [.. v[..2], 0x00, .. v[2..]]);                    // NUL in 漢字氏名, line 3
        lines[3] = With(3, 10, v => [.. v[..4], (byte)'\t', .. v[4..]]);             // TAB inside 住所, line 4
        lines[4] = With(4, 5, v => [.. v[..2], 0x00, .. v[2..]]);                    // NUL in カナ氏名, line 5
        lines[5] = With(5, 10, v => [(byte)'"', .. v[..4], (byte)'\r', (byte)'\n', .. v[4..], (byte)'"']); // a line break inside 住所, lines 6–7
        lines[6] = With(6, 6, v => [.. v, 0x7F]);                                    // DEL after 漢字氏名, line 8
        var path = SampleLists.Write(database.Directory, "controls.csv", SampleLists.Join(lines));

        var (run, counts) = await ImportAsync(database, path);

        run.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, run.Error);
        (counts["imported"], counts["rejected"]).ShouldBe((35L, 5L));
        run.Error.ShouldContain("controls.csv 3行目 項目「漢字氏名」: 漢字氏名に制御文字（U+0000）があります");
        run.Error.ShouldContain("controls.csv 4行目 項目「住所」: 住所に制御文字（U+0009）があります");
        run.Error.ShouldContain("controls.csv 5行目 項目「カナ氏名」: カナ氏名に制御文字（U+0000）があります");
        run.Error.ShouldContain("controls.csv 6行目 項目「住所」: 住所に制御文字（U+000D）があります");
        run.Error.ShouldContain("controls.csv 8行目 項目「漢字氏名」: 漢字氏名に制御文字（U+007F）があります");
        foreach (var control in new[] { '\0', '\t', '\u007F' })
        {
            (run.Out + run.Error).ShouldNotContain(control.ToString());
            RejectedList(database).ShouldNotContain(control.ToString());
        }
        RejectedList(database).ShouldContain("U+0000");
        (await database.RowsAsync("SELECT count(*) FROM jps_result WHERE line_number IN (3, 4, 5, 6, 8)")).ShouldBe(["0"]);
        (await database.RowsAsync("SELECT min(line_number) FROM jps_result WHERE line_number > 8")).ShouldBe(["9"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_AddressOfMillionsOfCharacters_RowRejected_TheListShowsItsStartOnly(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var lines = SampleLists.CsvLines();
        lines[1] = SampleLists.WithField(lines[1], 10, SampleLists.Cp932(new string('あ', 2_600_000)));
        var path = SampleLists.Write(database.Directory, "long.csv", SampleLists.Join(lines));

        var (run, counts) = await ImportAsync(database, path);

        run.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, run.Error);
        (counts["imported"], counts["rejected"]).ShouldBe((39L, 1L));
        run.Error.ShouldContain("long.csv 2行目 項目「住所」: 住所が 2,600,000 文字あり、最大の 60 文字を超えています");
        var list = RejectedList(database);
        list.Length.ShouldBeLessThan(2_000);
        list.ShouldContain(new string('あ', 70) + "…");
    }

    [Theory]
    [InlineData(20, 0)]
    [InlineData(21, 1)]
    public async Task Import_KanjiNameAtAndPastTheLayoutsMaximum(int length, int rejected)
    {
        foreach (var kind in new[] { TestDatabase.Sqlite, TestDatabase.Postgres })
        {
            await using var database = await TestDatabase.CreateMigratedAsync(kind);
            var lines = SampleLists.CsvLines();
            lines[1] = SampleLists.WithField(lines[1], 6, SampleLists.Cp932(new string('髙', length)));
            var (run, counts) = await ImportAsync(database, SampleLists.Write(database.Directory, "name.csv", SampleLists.Join(lines)));
            counts["rejected"].ShouldBe(rejected, run.Error);
            (await database.CountAsync("jps_result")).ShouldBe(40 - rejected);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_ExactDuplicateRows_WarnedWithBothLines_StoredOnce(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var csvLines = SampleLists.CsvLines();
        var csv = SampleLists.Write(database.Directory, "dup.csv", SampleLists.Join([.. csvLines, csvLines[4]]));
        var records = SampleLists.FixedRecords();
        var trailer = records[^1];
        var count = System.Text.Encoding.ASCII.GetBytes("000000041");
        var dat = SampleLists.Write(database.Directory, "dup.dat", SampleLists.Join([.. records[..^1], records[7], [trailer[0], .. count, .. trailer[10..]]]));

        var (run, counts) = await ImportJobTests.ImportAsync(database, new ImportOptions { Files = [csv, dat], Settle = TimeSpan.Zero });

        run.ExitCode.ShouldBe((int)ExitCode.Success, run.Error);
        (counts["read"], counts["imported"], counts["duplicates"], counts["rejected"]).ShouldBe((82L, 80L, 2L, 0L));
        run.Error.ShouldContain("dup.csv 42行目: 5行目とまったく同じ内容の行です（重複のため取り込みません）");
        run.Error.ShouldContain("dup.dat 42行目: 8行目とまったく同じ内容の行です（重複のため取り込みません）");
        RejectedList(database).ShouldContain("警告,dup.csv,42,,,5行目とまったく同じ内容の行です");
        (await database.CountAsync("jps_result")).ShouldBe(80);
        (await database.CountAsync("jps_result", "line_number = 42")).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_FileNameWithAControlCharacter_SpelledOutOnTheConsole(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var path = SampleLists.Write(database.Directory, "list\u001b[2J.csv", SampleLists.Csv);

        var (run, counts) = await ImportAsync(database, path);

        run.ExitCode.ShouldBe((int)ExitCode.Success, run.Error);
        counts["imported"].ShouldBe(40);
        (run.Out + run.Error).ShouldNotContain("\u001b");
        run.Out.ShouldContain("listU+001B[2J.csv");
    }
}
