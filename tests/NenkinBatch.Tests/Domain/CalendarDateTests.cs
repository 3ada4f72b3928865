using System.Globalization;
using CsCheck;
using NenkinBatch.Domain;

namespace NenkinBatch.Tests.Domain;

public class CalendarDateTests
{
    [Theory]
    [InlineData("20240229", true)]
    [InlineData("20230229", false)]
    [InlineData("19000229", false)]
    [InlineData("20000229", true)]
    [InlineData("00010101", true)]
    [InlineData("00000101", false)]
    [InlineData("20241301", false)]
    [InlineData("20240431", false)]
    [InlineData("20240100", false)]
    [InlineData("2024011", false)]
    [InlineData("2024-1-1", false)]
    public void ParseCompact_AcceptsExactlyTheCalendarsDays(string text, bool ok)
    {
        var parsed = CalendarDate.ParseCompact(text);
        parsed.Ok.ShouldBe(ok);
        if (ok) parsed.Value.ShouldBe(DateOnly.ParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture));
    }

    /// <summary>The hand-written parse agrees with .NET's own "yyyyMMdd" on any eight digits, not only on the dates a file usually has.</summary>
    [Fact]
    public void ParseCompact_AnyEightDigits_AgreesWithTheFrameworksExactParse()
    {
        Gen.Int[0, 99_999_999].Select(n => n.ToString("D8", CultureInfo.InvariantCulture))
            .Sample(text =>
            {
                var expected = DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date);
                var parsed = CalendarDate.ParseCompact(text);
                parsed.Ok.ShouldBe(expected, text);
                if (expected) parsed.Value.ShouldBe(date);
            }, iter: 200_000);
        // Random digits rarely form a date; every day of a span of years does.
        for (var d = new DateOnly(1899, 12, 1); d < new DateOnly(2101, 2, 1); d = d.AddDays(1))
            CalendarDate.ParseCompact(d.ToString("yyyyMMdd", CultureInfo.InvariantCulture)).Value.ShouldBe(d);
    }
}
