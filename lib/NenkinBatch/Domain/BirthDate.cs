namespace NenkinBatch.Domain;

/// <summary>
/// 生年月日 as the register knows it. A 不詳 date (month or day 00) never becomes a made-up
/// calendar date: it keeps its original text and only its known parts.
/// </summary>
public readonly record struct BirthDate(DateOnly? Date, int Year, int? Month, int? Day, string? UnknownText)
{
    public bool IsComplete => Date is not null;

    /// <summary>A birth date nobody knows (not even its year): it agrees with nothing.</summary>
    public static BirthDate NotKnown => default;

    public static Parsed<BirthDate> ParseCompact(string text)
    {
        if (text.Length != 8 || !CheckDigit.IsAsciiDigits(text))
            return Parsed<BirthDate>.Failure("生年月日は西暦 YYYYMMDD の8桁です（不詳の月日は00）");
        var year = int.Parse(text.AsSpan(0, 4), provider: null);
        var month = int.Parse(text.AsSpan(4, 2), provider: null);
        var day = int.Parse(text.AsSpan(6, 2), provider: null);
        if (year < 1868) return Parsed<BirthDate>.Failure("生年月日の年が明治より前です");
        if (month == 0 && day != 0) return Parsed<BirthDate>.Failure("月が不詳のとき日も00です");
        if (month == 0) return Parsed<BirthDate>.Success(new BirthDate(null, year, null, null, text));
        if (month > 12) return Parsed<BirthDate>.Failure("生年月日の月が1〜12ではありません");
        if (day == 0) return Parsed<BirthDate>.Success(new BirthDate(null, year, month, null, text));
        var full = CalendarDate.ParseCompact(text);
        return full.Ok
            ? Parsed<BirthDate>.Success(new BirthDate(full.Value, year, month, day, null))
            : Parsed<BirthDate>.Failure("生年月日が暦に存在しない日付です");
    }
}
