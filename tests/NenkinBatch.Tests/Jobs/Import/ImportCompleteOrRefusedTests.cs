using NenkinBatch.Foundation;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Jps;
using NenkinBatch.Formats.Layouts;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.Import;

/// <summary>A list is complete or refused: a cut, a file still being written or a path that is no file stores nothing, and blocks nothing.</summary>
public class ImportCompleteOrRefusedTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static Task<(InProcess.Run Run, Dictionary<string, long> Counts)> ImportAsync(TestDatabase database, params string[] files) =>
        ImportJobTests.ImportAsync(database, new ImportOptions { Files = files, Settle = TimeSpan.Zero }).Within(Limit, "the import");

    private static async Task ShouldHaveStoredNothing(TestDatabase database)
    {
        (await database.CountAsync("jps_result")).ShouldBe(0, database.Kind);
        (await database.CountAsync("jps_result_file")).ShouldBe(0, database.Kind);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_CsvCutMidRow_RefusedWhole_ThenTheWholeFileOnce(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var lines = SampleLists.CsvLines();
        var cutAt = SampleLists.Join(lines.Take(20)).Length + 37;
        var cut = SampleLists.Write(database.Directory, "jps-result.csv", SampleLists.Csv[..cutAt]);

        var (run, counts) = await ImportAsync(database, cut);

        run.ExitCode.ShouldBe((int)ExitCode.InputRejected, run.Error);
        run.Error.ShouldContain("jps-result.csv: 最後の行（21行目）が改行で終わっていません");
        counts["imported"].ShouldBe(0);
        await ShouldHaveStoredNothing(database);

        File.WriteAllBytes(cut, SampleLists.Csv);
        var (whole, wholeCounts) = await ImportAsync(database, cut);
        whole.ExitCode.ShouldBe((int)ExitCode.Success, whole.Error);
        wholeCounts["imported"].ShouldBe(40);
        (await database.CountAsync("jps_result")).ShouldBe(40);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_CsvRowWithFewerFieldsThanTheLayout_RefusedWhole(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var lines = SampleLists.CsvLines();
        lines[9] = [.. SampleLists.Fields(lines[9]).Take(5).SelectMany((f, i) => i == 0 ? f : [(byte)',', .. f])];
        var path = SampleLists.Write(database.Directory, "short-row.csv", SampleLists.Join(lines));

        var (run, _) = await ImportAsync(database, path);

        run.ExitCode.ShouldBe((int)ExitCode.InputRejected, run.Error);
        run.Error.ShouldContain("行目の項目数が 5 で、レイアウト jps-result-csv の 20 項目に足りません");
        await ShouldHaveStoredNothing(database);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_CsvWithAQuoteNeverClosed_RefusedWholeNamingItsLine_NothingStored(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var lines = SampleLists.CsvLines();
        lines[3] = SampleLists.WithField(lines[3], 10, [(byte)'"', .. SampleLists.Fields(lines[3])[10]]);
        var path = SampleLists.Write(database.Directory, "open-quote.csv", SampleLists.Join(lines));

        var (run, counts) = await ImportAsync(database, path);

        run.ExitCode.ShouldBe((int)ExitCode.InputRejected, run.Error);
        run.Error.ShouldContain("open-quote.csv: 4行目で始まる引用符（\"）が閉じられていない");
        counts["files_rejected"].ShouldBe(1);
        await ShouldHaveStoredNothing(database);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_NamedFileStillBeingWritten_Refused_NothingStored(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var growing = Path.Combine(database.Directory, "arriving.csv");
        var bytes = SampleLists.Csv;
        await using var writer = new FileStream(growing, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        // Whole lines at a time, so that only the growing, not a cut line, can give it away.
        var lines = SampleLists.CsvLines().Select(l => (byte[])[.. l, (byte)'\r', (byte)'\n']).ToList();
        var import = ImportJobTests.ImportAsync(database, new ImportOptions { Files = [growing], Settle = TimeSpan.FromMilliseconds(400) });
        var written = 0;
        while (!import.IsCompleted && written < lines.Count - 1)
        {
            await writer.WriteAsync(lines[written++]);
            await writer.FlushAsync();
            await Task.Delay(20);
        }
        var (run, counts) = await import.Within(Limit, "the import");

        written.ShouldBeLessThan(lines.Count - 1, "the import outlasted the whole transfer; the test proves nothing");
        run.ExitCode.ShouldBe((int)ExitCode.InputRejected, run.Error);
        run.Error.ShouldContain("arriving.csv: 書き込み中です");
        counts["files_rejected"].ShouldBe(1);
        await ShouldHaveStoredNothing(database);
    }

    [Fact]
    public async Task ReadAsync_FileGrownAfterInspection_RefusedAtTheEnd()
    {
        var directory = Directory.CreateTempSubdirectory("nenkin-grown-").FullName;
        try
        {
            var path = SampleLists.Write(directory, "grown.csv", SampleLists.Csv);
            var input = await InputFile.InspectAsync(path, "auto", default);
            await File.AppendAllBytesAsync(path, SampleLists.Join(SampleLists.CsvLines().Skip(1).Take(1)));
            var reader = new JpsResultReader(Layout.Resolve("jps-result-csv"), NenkinBatch.Domain.Codes.CodeTables.BuiltIn);

            var refused = await Should.ThrowAsync<InputRejectedException>(async () =>
            {
                await foreach (var _ in reader.ReadAsync(input, 0, default)) { }
            });
            refused.Reason.ShouldContain("読み込みの間にファイルの大きさが変わりました");
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_FifoOrDeviceOrDirectory_RefusedAtOnce_NamingThePath(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var fifo = SpecialFiles.Fifo(database.Directory, "list.csv");
        var folder = Directory.CreateDirectory(Path.Combine(database.Directory, "folder.csv")).FullName;
        var good = SampleLists.Write(database.Directory, "good.csv", SampleLists.Csv);

        var (run, counts) = await ImportAsync(database, fifo, "/dev/zero", folder, good);

        run.ExitCode.ShouldBe((int)ExitCode.InputRejected, run.Error);
        run.Error.ShouldContain($"{fifo} は名前付きパイプ（FIFO）で、通常のファイルではありません");
        run.Error.ShouldContain("/dev/zero はデバイスファイルで、通常のファイルではありません");
        run.Error.ShouldContain($"{folder} はフォルダーで、通常のファイルではありません");
        run.Error.ShouldNotContain("ファイルがありません");
        (counts["files_rejected"], counts["files_imported"], counts["imported"]).ShouldBe((3L, 1L, 40L));
        (await database.CountAsync("jps_result")).ShouldBe(40);
    }

    [Fact]
    public async Task Inbox_FifoAmongTheFiles_RefusedAndSetAside_TheOthersImported()
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var inbox = Directory.CreateDirectory(Path.Combine(database.Directory, "inbox")).FullName;
        SpecialFiles.Fifo(inbox, "0-pipe.csv");
        SampleLists.Write(inbox, "a.csv", SampleLists.Csv);

        var (run, counts) = await ImportJobTests.ImportAsync(database, new ImportOptions { Inbox = inbox, Settle = TimeSpan.FromMilliseconds(50) })
            .Within(Limit, "the inbox import");

        run.ExitCode.ShouldBe((int)ExitCode.InputRejected, run.Error);
        run.Error.ShouldContain("0-pipe.csv は名前付きパイプ（FIFO）で");
        (counts["files_imported"], counts["files_rejected"], counts["imported"]).ShouldBe((1L, 1L, 40L));
        File.Exists(Path.Combine(inbox, "processed", "a.csv")).ShouldBeTrue();
        FileKinds.Of(Path.Combine(inbox, "rejected", "0-pipe.csv")).ShouldBe(FileKind.Fifo);
        (await File.ReadAllTextAsync(Path.Combine(inbox, "rejected", "0-pipe.csv.reason.txt"))).ShouldContain("名前付きパイプ");
    }
}
