using System.Globalization;

namespace NenkinBatch.Domain;

/// <summary>Western-calendar dates as the city's own files write them (YYYYMMDD).</summary>
public static class CalendarDate
{
    public static Parsed<DateOnly> ParseCompact(string text)
    {
        if (text.Length != 8 || !CheckDigit.IsAsciiDigits(text))
            return Parsed<DateOnly>.Failure("日付は西暦 YYYYMMDD の8桁です");
        // By hand rather than DateOnly.TryParseExact("yyyyMMdd"), which accepts the same dates: a 住基 file has six dates a row.
        int year = Digits(text, 0, 4), month = Digits(text, 4, 2), day = Digits(text, 6, 2);
        return year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? Parsed<DateOnly>.Success(new DateOnly(year, month, day))
            : Parsed<DateOnly>.Failure("暦に存在しない日付です");
    }

    private static int Digits(string text, int start, int count)
    {
        var value = 0;
        for (var i = start; i < start + count; i++) value = value * 10 + (text[i] - '0');
        return value;
    }

    public static string ToIso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
