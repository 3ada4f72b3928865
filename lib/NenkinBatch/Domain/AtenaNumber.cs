namespace NenkinBatch.Domain;

/// <summary>
/// 宛名番号: the city's internal person number, its last digit a modulus-11 check digit.
/// Legacy numbers may fail the check, so a failed check is a warning and never a rejection.
/// </summary>
public readonly record struct AtenaNumber(string Value)
{
    public const int MaxLength = 15;

    public static Parsed<AtenaNumber> Parse(string text) =>
        text.Length is >= 2 and <= MaxLength && CheckDigit.IsAsciiDigits(text)
            ? Parsed<AtenaNumber>.Success(new AtenaNumber(text))
            : Parsed<AtenaNumber>.Failure($"宛名番号は数字2〜{MaxLength}桁です");

    public bool HasValidCheckDigit => CheckDigit.Modulus11(Value.AsSpan(0, Value.Length - 1)) == Value[^1] - '0';

    public static string WithCheckDigit(string body) => body + CheckDigit.Modulus11(body);

    public override string ToString() => Value;
}
