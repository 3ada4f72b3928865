using System.Text;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Jps;
using NenkinBatch.Formats.Layouts;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Formats;

/// <summary>
/// The sample city's 処理結果一覧表, damaged the ways transfers and hand edits damage files: the reader yields every row of a
/// list it can read whole, refuses the others, and each message names the file's line where the damage is (the header is line 1).
/// </summary>
public sealed class JpsResultReaderTests : IDisposable
{
    private const int Rows = 40;
    private readonly string _directory = Directory.CreateTempSubdirectory("nenkin-jps-reader-").FullName;

    private static string Sample(string name) => Path.Combine(AdminProcess.RepositoryRoot, "samples", "city", name);

    /// <summary>The sample CSV's lines, header first, as text.</summary>
    private static List<string> CsvLines() => File.ReadAllLines(Sample(CityFiles.JpsCsvFile), TextEncodings.Cp932Strict).ToList();

    private static byte[] Cp932(IEnumerable<string> lines, string end = "\r\n") => TextEncodings.Cp932Strict.GetBytes(string.Join("\r\n", lines) + end);

    private static string WithField(string line, int field, string value)
    {
        var fields = line.Split(',');
        fields[field] = value;
        return string.Join(",", fields);
    }

    private async Task<List<JpsReadResult>> ReadAsync(byte[] content, string name)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllBytesAsync(path, content);
        var input = await InputFile.InspectAsync(path, "auto", CancellationToken.None);
        var layouts = Layout.BuiltInNames.Where(n => n.StartsWith("jps-result", StringComparison.Ordinal)).Select(Layout.Resolve).ToList();
        var layout = await LayoutDetector.DetectAsync(input, layouts, CancellationToken.None);
        var results = new List<JpsReadResult>();
        await foreach (var result in new JpsResultReader(layout, CodeTables.BuiltIn).ReadAsync(input, 0, CancellationToken.None)) results.Add(result);
        return results;
    }

    private Task<InputRejectedException> RefusedAsync(byte[] content, string name) =>
        Should.ThrowAsync<InputRejectedException>(() => ReadAsync(content, name));

    [Fact]
    public async Task ReadAsync_CsvQuoteNeverClosed_RefusedNamingItsLine_NotTheRestSwallowedIntoOneRow()
    {
        var lines = CsvLines();
        lines[3] = WithField(lines[3], 10, "\"" + lines[3].Split(',')[10]);

        var error = await RefusedAsync(Cp932(lines), "open-quote.csv");

        error.File.ShouldBe("open-quote.csv");
        error.Reason.ShouldStartWith("4行目で始まる引用符（\"）が閉じられていない");
    }

    [Fact]
    public async Task ReadAsync_CsvQuoteNeverClosedInALargeFile_RefusedNamingItsLine_WithoutHoldingTheRestInMemory()
    {
        var lines = CsvLines();
        var rows = lines.Skip(1).ToList();
        while (lines.Count * 150 < 2 * CsvRecords.MaxRecordBytes) lines.AddRange(rows);
        lines[3] = WithField(lines[3], 10, "\"" + lines[3].Split(',')[10]);

        var error = await RefusedAsync(Cp932(lines), "open-quote-large.csv");

        error.Reason.ShouldStartWith("4行目から始まる行が 16 MB を超えても終わりません");
    }

    [Fact]
    public async Task ReadAsync_CsvEofByteAfterTheLastLineEnd_Ignored()
    {
        var results = await ReadAsync(Cp932(CsvLines(), "\r\n\u001a"), "eof-byte.csv");
        results.Count.ShouldBe(Rows);
        results.ShouldAllBe(r => r.Row != null && r.Problems.Count == 0);
    }

    [Fact]
    public async Task ReadAsync_CsvBlankLines_Ignored_EveryRowKeepsItsFileLine()
    {
        var lines = CsvLines();
        lines.Insert(6, "   ");
        lines.Insert(3, "");

        var results = await ReadAsync(Cp932(lines), "blank-lines.csv");

        results.Count.ShouldBe(Rows);
        results.ShouldAllBe(r => r.Row != null && r.Problems.Count == 0);
        results.Select(r => r.Line).ShouldBe(Enumerable.Range(2, Rows + 2).Where(l => l is not 4 and not 8).Select(l => (long)l));
    }

    [Theory]
    [InlineData("x\"y")]     // a quote inside an unquoted field
    [InlineData("\"x\"y")]   // text after the closing quote
    public async Task ReadAsync_CsvBrokenQuotingInOneRow_ThatRowRejected_OthersKept(string address)
    {
        var lines = CsvLines();
        lines[4] = WithField(lines[4], 10, address);

        var results = await ReadAsync(Cp932(lines), "quoting.csv");

        results.Count.ShouldBe(Rows);
        var rejected = results.Single(r => r.Row is null);
        rejected.Line.ShouldBe(5);
        rejected.Problems.ShouldContain(p => p.Field == null && p.Reason.StartsWith("引用符（\"）の使い方が正しくありません"));
    }

    [Fact]
    public async Task ReadAsync_CsvHeaderlessFirstRowWithAQuotedComma_RecognisedAsTheCsvLayout()
    {
        var lines = CsvLines().Skip(1).ToList();
        lines[0] = WithField(lines[0], 18, "\"住所が違います,確認してください\"");

        var results = await ReadAsync(Cp932(lines), "headerless.csv");

        results.Count.ShouldBe(Rows);
        results[0].Row!.ErrorText.ShouldBe("住所が違います,確認してください");
    }

    [Fact]
    public async Task ReadAsync_CsvHeaderlessFirstLineOfExactlyOneFixedRecord_StillReadAsTheCsvLayout()
    {
        // Without a header the first line starts with 市区町村コード 121002: the fixed layout's header record type is also "1".
        var lines = CsvLines().Skip(1).ToList();
        lines[0] = WithField(lines[0], 18, "");
        lines[0] = WithField(lines[0], 18, new string('x', 300 - TextEncodings.Cp932Strict.GetByteCount(lines[0])));
        TextEncodings.Cp932Strict.GetByteCount(lines[0]).ShouldBe(300);

        var results = await ReadAsync(Cp932(lines), "300-byte-line.csv");

        // Read as the CSV it is: every line a row (the padded one over its field's maximum length), none refused as a fixed record.
        results.Select(r => r.Line).ShouldBe(Enumerable.Range(1, Rows).Select(l => (long)l));
        results.Skip(1).ShouldAllBe(r => r.Row != null);
    }

    [Theory]
    [InlineData(1, "市区町村コード", "市町村コード", "1列目が「市町村コード」で、「市区町村コード」のはずです")]
    [InlineData(4, "処理年月日", "処理日", "4列目が「処理日」で、「処理年月日」のはずです")]
    [InlineData(20, "個人番号", null, "見出しが 19 列で、20 列のはずです")]
    public async Task ReadAsync_CsvHeaderOfAnotherLayoutOrMistyped_RefusedNamingTheColumnThatDiffers(int column, string label, string? written, string difference)
    {
        var lines = CsvLines();
        var labels = lines[0].Split(',').ToList();
        labels[column - 1].ShouldBe(label);
        if (written is null) labels.RemoveAt(column - 1); else labels[column - 1] = written;
        lines[0] = string.Join(",", labels);

        var error = await RefusedAsync(Cp932(lines), "header.csv");

        error.Reason.ShouldEndWith($"と一致しません（{difference}）。");
    }

    [Fact]
    public async Task ReadAsync_FixedTwoFilesJoined_RefusedNamingHowManyDataRecordsCameBefore()
    {
        var bytes = await File.ReadAllBytesAsync(Sample(CityFiles.JpsFixedFile));

        var error = await RefusedAsync([.. bytes, .. bytes], "joined.dat");

        error.Reason.ShouldBe($"トレーラーレコード（データ {Rows} 件の後）の後にレコードがあります（{Rows + 3}行目。複数のファイルがつながっている可能性があります）。");
    }

    [Fact]
    public async Task ReadAsync_FixedBytesAfterTheTrailer_RefusedAsSuch_NotAsACutRecord()
    {
        var bytes = await File.ReadAllBytesAsync(Sample(CityFiles.JpsFixedFile));

        var error = await RefusedAsync([.. bytes, .. "xyz"u8], "after-trailer.dat");

        error.Reason.ShouldBe($"トレーラーレコード（{Rows + 2}行目）の後に 3 バイトの余分なデータがあります（レコードではありません）。");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
