using System.Collections.Frozen;

namespace NenkinBatch.Domain;

/// <summary>元号: a Japanese era and the calendar days it covers.</summary>
public sealed record Era(string Name, DateOnly First, DateOnly? Last)
{
    public static readonly Era Meiji = new("明治", new DateOnly(1868, 1, 25), new DateOnly(1912, 7, 29));
    public static readonly Era Taisho = new("大正", new DateOnly(1912, 7, 30), new DateOnly(1926, 12, 24));
    public static readonly Era Showa = new("昭和", new DateOnly(1926, 12, 25), new DateOnly(1989, 1, 7));
    public static readonly Era Heisei = new("平成", new DateOnly(1989, 1, 8), new DateOnly(2019, 4, 30));
    public static readonly Era Reiwa = new("令和", new DateOnly(2019, 5, 1), null);

    public static readonly IReadOnlyList<Era> All = [Meiji, Taisho, Showa, Heisei, Reiwa];

    public static Era? ByName(string name) => All.FirstOrDefault(e => e.Name == name);

    public bool Contains(DateOnly date) => date >= First && (Last is null || date <= Last);

    public static Era Of(DateOnly date) => All.Last(e => date >= e.First);
}

/// <summary>
/// 和暦 dates as a file writes them: an era code + YYMMDD. Which digit means which era is a property
/// of the input layout (JPS uses 1 明治, 3 大正, 5 昭和, 7 平成, 9 令和; other systems 1..5), so the
/// code table is given, never assumed.
/// </summary>
public sealed class WarekiCodec
{
    private readonly FrozenDictionary<char, Era> _byCode;
    private readonly FrozenDictionary<Era, char> _codeOf;

    public WarekiCodec(IReadOnlyDictionary<string, string> eraCodes)
    {
        var byCode = new Dictionary<char, Era>();
        foreach (var (code, name) in eraCodes)
        {
            if (code.Length != 1 || Era.ByName(name) is not { } era)
                throw new ArgumentException($"元号コード表の「{code}: {name}」が読めません", nameof(eraCodes));
            byCode[code[0]] = era;
        }
        _byCode = byCode.ToFrozenDictionary();
        _codeOf = byCode.ToFrozenDictionary(p => p.Value, p => p.Key);
    }

    /// <summary>JPS's era codes (docs/domain.md, "Dates").</summary>
    public static WarekiCodec Jps { get; } = new(new Dictionary<string, string>
    {
        ["1"] = "明治", ["3"] = "大正", ["5"] = "昭和", ["7"] = "平成", ["9"] = "令和",
    });

    public Parsed<DateOnly> Parse(string text)
    {
        if (text.Length != 7 || !CheckDigit.IsAsciiDigits(text))
            return Parsed<DateOnly>.Failure("和暦日付は元号コード1桁＋年月日6桁（例 5450312）です");
        if (!_byCode.TryGetValue(text[0], out var era))
            return Parsed<DateOnly>.Failure($"元号コード「{text[0]}」はこのレイアウトの元号コード表（{string.Join("、", _byCode.Select(p => $"{p.Key} {p.Value.Name}"))}）にありません");
        var year = int.Parse(text.AsSpan(1, 2), provider: null);
        var month = int.Parse(text.AsSpan(3, 2), provider: null);
        var day = int.Parse(text.AsSpan(5, 2), provider: null);
        if (year == 0 || month is 0 or > 12 || day == 0 || day > DateTime.DaysInMonth(era.First.Year + year - 1, month))
            return Parsed<DateOnly>.Failure($"{era.Name}{year}年{month}月{day}日は暦に存在しない日付です");
        var date = new DateOnly(era.First.Year + year - 1, month, day);
        return era.Contains(date)
            ? Parsed<DateOnly>.Success(date)
            : Parsed<DateOnly>.Failure($"{era.Name}{year}年{month}月{day}日は{era.Name}の期間（{CalendarDate.ToIso(era.First)}〜{(era.Last is { } l ? CalendarDate.ToIso(l) : "")}）の外です");
    }

    public string Format(DateOnly date)
    {
        var era = Era.Of(date);
        if (!_codeOf.TryGetValue(era, out var code))
            throw new ArgumentOutOfRangeException(nameof(date), $"{era.Name} has no code in this table");
        return $"{code}{date.Year - era.First.Year + 1:D2}{date.Month:D2}{date.Day:D2}";
    }

    /// <summary>For reports: 2025-10-15 (令和7年10月15日).</summary>
    public static string Describe(DateOnly date)
    {
        var era = Era.Of(date);
        var year = date.Year - era.First.Year + 1;
        return $"{CalendarDate.ToIso(date)}（{era.Name}{(year == 1 ? "元" : year.ToString(System.Globalization.CultureInfo.InvariantCulture))}年{date.Month}月{date.Day}日）";
    }
}
