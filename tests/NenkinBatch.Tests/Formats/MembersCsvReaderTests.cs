using System.Text;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Members;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Formats;

public sealed class MembersCsvReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nenkin-reader-").FullName;

    private static MembersCsvReader CreateSut() => new(CodeTables.BuiltIn);

    private async Task<List<MemberReadResult>> ReadAsync(MemberFile file, long skip = 0)
    {
        var path = file.Write(Path.Combine(_directory, $"members-{Guid.NewGuid():N}.csv"));
        var results = new List<MemberReadResult>();
        await foreach (var result in CreateSut().ReadAsync(path, skip, CancellationToken.None)) results.Add(result);
        return results;
    }

    [Fact]
    public async Task ReadAsync_ValidRows_MapsEveryField()
    {
        var row = MemberFile.Person(3);
        row[6] = "260-0013";
        row[14] = "20200331";
        row[15] = "14";
        var result = (await ReadAsync(new MemberFile().Add(row))).Single();

        result.Problems.ShouldBeEmpty();
        var person = result.Row!.Person;
        person.AtenaNumber.ShouldBe(row[0]);
        person.BasicPensionNumber.ShouldBe(row[1]);
        person.Name.ShouldBe(row[2]);
        person.PostalCode.ShouldBe("2600013");
        person.BirthDate.ShouldBe(DateOnly.ParseExact(row[4], "yyyyMMdd", null));
        result.Row.Qualification!.LostOn.ShouldBe(new DateOnly(2020, 3, 31));
        result.Row.Qualification.LossReason.ShouldBe("14");
        result.Row.IndividualNumber.ShouldNotBeNull();
    }

    [Fact]
    public async Task ReadAsync_BadRows_EachListedWithLineFieldAndReason_GoodRowsKept()
    {
        var file = new MemberFile().Add(MemberFile.Person(0));
        var badDate = MemberFile.Person(1); badDate[4] = "19990231"; file.Add(badDate);
        var badNumber = MemberFile.Person(3); badNumber[16] = MemberFile.WithWrongCheckDigit(badNumber[16]); file.Add(badNumber);
        var noAtena = MemberFile.Person(4); noAtena[0] = ""; file.Add(noAtena);
        file.Add(MemberFile.Person(5));

        var results = await ReadAsync(file);

        results.Count.ShouldBe(5);
        results.Count(r => r.Row is not null).ShouldBe(2);
        var problems = results.SelectMany(r => r.Problems).Where(p => p.Severity == ProblemSeverity.Error).ToList();
        problems.Select(p => (p.Line, p.Field)).ShouldBe([(3L, "生年月日"), (4L, "個人番号"), (5L, "宛名番号")]);   // the file's lines: the header is line 1
        problems[1].Value.ShouldBe("************");
        problems[1].Reason.ShouldContain("チェックデジット");
        problems.ShouldAllBe(p => p.File.EndsWith(".csv"));
    }

    [Fact]
    public async Task ReadAsync_ShiftedColumnCarryingANumber_MaskedInAnyField()
    {
        var row = MemberFile.Person(6);
        row[1] = row[16]; // a 個人番号 where the 基礎年金番号 belongs
        var result = (await ReadAsync(new MemberFile().Add(row))).Single();
        var problem = result.Problems.Single(p => p.Field == "基礎年金番号");
        problem.Value.ShouldBe("************");
    }

    [Fact]
    public async Task ReadAsync_QualificationWithoutAcquisitionDate_Rejected()
    {
        var row = MemberFile.Person(7);
        row[12] = "";
        var result = (await ReadAsync(new MemberFile().Add(row))).Single();
        result.Row.ShouldBeNull();
        result.Problems.ShouldContain(p => p.Field == "資格取得年月日");
    }

    [Fact]
    public async Task ReadAsync_PostalCodeOfWrongLength_WarningKeepsRow()
    {
        var row = MemberFile.Person(8);
        row[6] = "26000";
        var result = (await ReadAsync(new MemberFile().Add(row))).Single();
        result.Row.ShouldNotBeNull();
        result.Problems.Single().Severity.ShouldBe(ProblemSeverity.Warning);
    }

    [Fact]
    public async Task ReadAsync_SkipThroughLine_StartsAfterCheckpoint()
    {
        var results = await ReadAsync(MemberFile.Synthetic(10), skip: 8);
        results.Select(r => r.Line).ShouldBe([9L, 10L, 11L]);
    }

    [Fact]
    public async Task ReadAsync_RowsOfOnePersonThatDisagreeFarApart_LaterRejectedNamingTheFirst()
    {
        var file = MemberFile.Synthetic(9000);
        var again = MemberFile.Person(2);
        again[12] = "20150401";                        // another period of person 2 …
        again[7] = "千葉県千葉市美浜区新港1番地";       // … at another address
        file.Add(again);
        file.Add(MemberFile.Person(3));                 // the same person fields again: no contradiction

        var results = await ReadAsync(file);

        results.Count.ShouldBe(9002);
        results[9000].Row.ShouldBeNull();
        var problem = results[9000].Problems.ShouldHaveSingleItem();
        (problem.Line, problem.Field).ShouldBe((9002L, "宛名番号"));
        problem.Reason.ShouldStartWith("同じ宛名番号の 4 行目と");
        results[9001].Row.ShouldNotBeNull();
    }

    [Fact]
    public async Task ReadAsync_ResumedAfterTheFirstRowOfAPerson_LaterDisagreeingRowStillRejected()
    {
        var file = MemberFile.Synthetic(10);
        var again = MemberFile.Person(2);
        again[12] = "20150401";
        again[2] = "別人　名前";
        file.Add(again);

        var results = await ReadAsync(file, skip: 8);

        results.Select(r => r.Line).ShouldBe([9L, 10L, 11L, 12L]);
        results[^1].Row.ShouldBeNull();
        results[^1].Problems.ShouldContain(p => p.Reason.StartsWith("同じ宛名番号の 4 行目と"));
    }

    /// <summary>Reads until the reader ends or refuses the file, keeping what it yielded before.</summary>
    private async Task<(List<MemberReadResult> Yielded, InputRejectedException? Refusal)> ReadUntilRefusedAsync(string content)
    {
        var path = Path.Combine(_directory, $"members-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, content, new UTF8Encoding(false));
        var yielded = new List<MemberReadResult>();
        try
        {
            await foreach (var result in CreateSut().ReadAsync(path, 0, CancellationToken.None)) yielded.Add(result);
            return (yielded, null);
        }
        catch (InputRejectedException refusal)
        {
            return (yielded, refusal);
        }
    }

    private static string Text(MemberFile file) => MemberFile.Header + "\r\n" + string.Join("", file.Rows.Select(r => string.Join(",", r) + "\r\n"));

    [Fact]
    public async Task ReadAsync_QuoteNeverClosedNearTheEnd_RefusedBeforeAnyRowIsGivenOut()
    {
        var file = MemberFile.Synthetic(30);
        file.Rows[27][7] = "\"" + file.Rows[27][7];

        var (yielded, refusal) = await ReadUntilRefusedAsync(Text(file));

        yielded.ShouldBeEmpty();
        refusal.ShouldNotBeNull();
        refusal.Reason.ShouldStartWith("29行目で始まる引用符（\"）が閉じられていない");
    }

    [Fact]
    public async Task ReadAsync_RecordPastTheLimit_RefusedBeforeAnyRowIsGivenOut()
    {
        var file = MemberFile.Synthetic(30);
        file.Rows[27][7] = "\"" + file.Rows[27][7];
        var text = Text(file) + string.Concat(Enumerable.Repeat(string.Join(",", MemberFile.Person(1)) + "\r\n", CsvRecords.MaxRecordBytes / 100));

        var (yielded, refusal) = await ReadUntilRefusedAsync(text);

        yielded.ShouldBeEmpty();
        refusal.ShouldNotBeNull();
        refusal.Reason.ShouldStartWith("29行目から始まる行が 16 MB を超えても終わりません");
    }

    [Fact]
    public async Task ReadAsync_BlankLines_IgnoredAndTheNextRowKeepsItsFileLine()
    {
        var lines = Text(MemberFile.Synthetic(4)).Split("\r\n").ToList();
        lines.Insert(3, "   ");
        lines.Insert(2, "");

        var (yielded, refusal) = await ReadUntilRefusedAsync(string.Join("\r\n", lines));

        refusal.ShouldBeNull();
        yielded.Select(r => r.Line).ShouldBe([2L, 4L, 6L, 7L]);
        yielded.ShouldAllBe(r => r.Row != null && r.Problems.Count == 0);
    }

    [Fact]
    public async Task ReadAsync_EofByteOnItsOwnLastLine_Ignored()
    {
        var (yielded, refusal) = await ReadUntilRefusedAsync(Text(MemberFile.Synthetic(3)) + "\u001a");
        refusal.ShouldBeNull();
        yielded.Count.ShouldBe(3);
        yielded.ShouldAllBe(r => r.Row != null && r.Problems.Count == 0);
    }

    [Theory]
    [InlineData("x\"y")]     // a quote inside an unquoted field
    [InlineData("\"x\"y")]   // text after the closing quote
    public async Task ReadAsync_BrokenQuotingInOneRow_ThatRowRejected_OthersKept(string suffix)
    {
        var file = MemberFile.Synthetic(3);
        file.Rows[1][8] = suffix;

        var (yielded, refusal) = await ReadUntilRefusedAsync(Text(file));

        refusal.ShouldBeNull();
        yielded.Count.ShouldBe(3);
        var rejected = yielded.Single(r => r.Row is null);
        rejected.Line.ShouldBe(3);
        rejected.Problems.ShouldContain(p => p.Field == null && p.Reason.StartsWith("引用符（\"）の使い方が正しくありません"));
    }

    [Fact]
    public async Task ReadAsync_UnquotedCommaInAValue_RowRejectedForItsFieldCount()
    {
        var file = MemberFile.Synthetic(3);
        file.Rows[1][7] += ",ハイツ101";   // written without quotes: every column after 住所 moves one to the right

        var (yielded, _) = await ReadUntilRefusedAsync(Text(file));

        yielded.Count.ShouldBe(3);
        var rejected = yielded.Single(r => r.Row is null);
        rejected.Line.ShouldBe(3);
        rejected.Problems.ShouldContain(p => p.Field == null && p.Reason.StartsWith("項目数が 18 で、見出しの 17 より多くなっています"));
    }

    [Fact]
    public async Task ReadAsync_ColumnTwiceInTheHeader_RefusesTheFile()
    {
        var (_, refusal) = await ReadUntilRefusedAsync(MemberFile.Header + ",住所\r\n");
        refusal.ShouldNotBeNull();
        refusal.Reason.ShouldBe("見出し行に列 住所 が2回以上あります（どちらの値を読むか決められません）。");
    }

    [Fact]
    public async Task ReadAsync_HeaderOfAnotherLayout_RejectsTheFile()
    {
        var path = Path.Combine(_directory, "wrong.csv");
        await File.WriteAllTextAsync(path, "市区町村コード,届書コード\r\n121002,01\r\n");
        var error = await Should.ThrowAsync<InputRejectedException>(async () =>
        {
            await foreach (var _ in CreateSut().ReadAsync(path, 0, CancellationToken.None)) { }
        });
        error.Reason.ShouldContain("宛名番号");
    }

    [Fact]
    public async Task InspectUtf8Async_Cp932Bytes_RejectedWithLine()
    {
        var path = Path.Combine(_directory, "sjis.csv");
        var sjis = CodePagesEncoding.Cp932;
        await File.WriteAllBytesAsync(path, sjis.GetBytes(MemberFile.Header + "\r\n9000000008,,山田　太郎\r\n"));
        var error = await Should.ThrowAsync<InputRejectedException>(() => InputFile.InspectUtf8Async(path, CancellationToken.None));
        error.Reason.ShouldContain("UTF-8");
        error.Reason.ShouldContain("1行目（ファイルの先頭から 1 バイト目");
        // load-members has no --encoding: the way out is a UTF-8 export.
        error.WhatToDo.ShouldNotContain("--encoding");
        error.WhatToDo.ShouldContain("UTF-8 で出力し直して");
    }

    [Fact]
    public async Task InspectUtf8Async_SameContent_SameIdentity()
    {
        var a = MemberFile.Synthetic(3).Write(Path.Combine(_directory, "a.csv"));
        var b = MemberFile.Synthetic(3).Write(Path.Combine(_directory, "b.csv"));
        var c = MemberFile.Synthetic(4).Write(Path.Combine(_directory, "c.csv"));
        var (ia, ib, ic) = (await InputFile.InspectUtf8Async(a, default), await InputFile.InspectUtf8Async(b, default), await InputFile.InspectUtf8Async(c, default));
        ia.Sha256.ShouldBe(ib.Sha256);
        ia.Sha256.ShouldNotBe(ic.Sha256);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

internal static class CodePagesEncoding
{
    public static Encoding Cp932
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(932);
        }
    }
}
