using System.Text;
using NenkinBatch.Formats;

namespace NenkinBatch.Tests.Formats;

public class CsvOutputTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("nenkin-csv-").FullName;

    public void Dispose() => Directory.Delete(_directory, true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public void ForSpreadsheet_Utf8WithBomAndCrlf_QuotesOnlyWhatNeedsIt()
    {
        var path = PathOf("a.csv");
        using (var csv = CsvOutput.ForSpreadsheet(path))
        {
            csv.Write("氏名", "住所");
            csv.Write("山田　太郎", "中央区1-2-3, 方書\"A\"");
        }
        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(0, 3).ToArray().ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).ShouldBe("氏名,住所\r\n山田　太郎,\"中央区1-2-3, 方書\"\"A\"\"\"\r\n");
    }

    [Theory]
    [InlineData("=SUM(A1:A2)")]
    [InlineData("+81")]
    [InlineData("-7.8")]
    [InlineData("@cmd")]
    [InlineData("\tx")]
    public void Write_CellAFormulaWouldRun_WrittenAsQuotedText(string value)
    {
        var path = PathOf("f.csv");
        using (var csv = CsvOutput.ForSpreadsheet(path)) csv.Write(value, "x");
        File.ReadAllText(path).ShouldBe($"\"'{value}\",x\r\n");
    }

    [Fact]
    public void ForSystem_NoBom_InTheGivenEncoding()
    {
        var path = PathOf("s.csv");
        using (var csv = CsvOutput.ForSystem(path, TextEncodings.Cp932Strict)) csv.Write("ﾔﾏﾀﾞ", "山田");
        var bytes = File.ReadAllBytes(path);
        bytes[0].ShouldNotBe((byte)0xEF);
        TextEncodings.Cp932Strict.GetString(bytes).ShouldBe("ﾔﾏﾀﾞ,山田\r\n");
    }

    [Fact]
    public void TruncateTo_APositionTakenEarlier_DropsWhatCameAfter()
    {
        var path = PathOf("t.csv");
        using (var csv = CsvOutput.ForSpreadsheet(path))
        {
            csv.Write("a", "b");
            var mark = csv.Position;
            csv.Write("dropped", "row");
            csv.TruncateTo(mark);
            csv.Write("c", "d");
        }
        File.ReadAllText(path).ShouldBe("a,b\r\nc,d\r\n");
    }
}
