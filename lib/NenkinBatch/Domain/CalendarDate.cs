using System.Globalization;

namespace NenkinBatch.Domain;

/// <summary>Western-calendar dates as the city's own files write them (YYYYMMDD).</summary>
public static class CalendarDate
{
    public static Parsed<DateOnly> ParseCompact(string text)
    {
        if (text.Length != 8 || !CheckDigit.IsAsciiDigits(text))
            return Parsed<DateOnly>.Failure("日付は西暦 YYYYMMDD の8桁です");
        return DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? Parsed<DateOnly>.Success(date)
            : Parsed<DateOnly>.Failure("暦に存在しない日付です");
    }

    public static string ToIso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
