namespace NenkinBatch.Domain;

/// <summary>基礎年金番号: 4-digit 記号 + 6-digit 番号. No check digit is published, so only the form is checked.</summary>
public readonly record struct BasicPensionNumber(string Value)
{
    public static Parsed<BasicPensionNumber> Parse(string text)
    {
        var digits = text.Length == 11 && text[4] == '-' ? string.Concat(text.AsSpan(0, 4), text.AsSpan(5)) : text;
        return digits.Length == 10 && CheckDigit.IsAsciiDigits(digits)
            ? Parsed<BasicPensionNumber>.Success(new BasicPensionNumber(digits))
            : Parsed<BasicPensionNumber>.Failure("基礎年金番号は数字10桁（4桁目の後のハイフンは可）です");
    }

    public override string ToString() => Value;
}
