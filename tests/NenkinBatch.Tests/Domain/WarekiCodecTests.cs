using NenkinBatch.Domain;

namespace NenkinBatch.Tests.Domain;

public class WarekiCodecTests
{
    [Theory]
    [InlineData("5450312", "1970-03-12")]
    [InlineData("9071015", "2025-10-15")]
    [InlineData("7010108", "1989-01-08")]
    [InlineData("5640107", "1989-01-07")]
    [InlineData("9010501", "2019-05-01")]
    [InlineData("1450729", "1912-07-29")]
    [InlineData("3010730", "1912-07-30")]
    public void Parse_JpsEraCodes(string text, string expected) =>
        WarekiCodec.Jps.Parse(text).Value.ShouldBe(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("7320101", "平成の期間")]      // 平成32年 does not exist: never silently 令和2年
    [InlineData("9010430", "令和の期間")]      // 令和元年4月30日 is still 平成
    [InlineData("5640108", "昭和の期間")]
    [InlineData("2450312", "元号コード「2」")] // 2 is not a JPS era code
    [InlineData("5450230", "暦に存在しない")]
    [InlineData("545031", "7桁")]
    public void Parse_Invalid_SaysWhy(string text, string reason) => WarekiCodec.Jps.Parse(text).Error!.ShouldContain(reason.Replace("7桁", "年月日6桁", StringComparison.Ordinal));

    [Fact]
    public void EraCodeTable_IsTheLayoutsNotGlobal()
    {
        var other = new WarekiCodec(new Dictionary<string, string> { ["1"] = "明治", ["2"] = "大正", ["3"] = "昭和", ["4"] = "平成", ["5"] = "令和" });
        other.Parse("3450312").Value.ShouldBe(new DateOnly(1970, 3, 12));
        WarekiCodec.Jps.Parse("3450312").Ok.ShouldBeFalse(); // 大正45年 is outside 大正
    }

    [Fact]
    public void Format_RoundTripsEveryDayAcrossEraBoundaries()
    {
        for (var day = new DateOnly(1912, 7, 1); day < new DateOnly(2030, 1, 1); day = day.AddDays(7))
            WarekiCodec.Jps.Parse(WarekiCodec.Jps.Format(day)).Value.ShouldBe(day);
    }

    [Fact]
    public void Describe_ForReports() => WarekiCodec.Describe(new DateOnly(2019, 5, 1)).ShouldBe("2019-05-01（令和元年5月1日）");
}
