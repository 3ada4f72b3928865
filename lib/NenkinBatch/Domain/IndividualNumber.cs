namespace NenkinBatch.Domain;

/// <summary>
/// 個人番号 (マイナンバー): 12 digits, the last a check digit. The most sensitive value the city holds:
/// <see cref="ToString"/> is always masked, and the digits leave this type only through
/// <see cref="RevealForSealing"/>, which the storage protector alone calls.
/// </summary>
public sealed class IndividualNumber : IEquatable<IndividualNumber>
{
    public const string Mask = "************";
    private readonly string _digits;

    private IndividualNumber(string digits) => _digits = digits;

    public static Parsed<IndividualNumber> Parse(string text)
    {
        if (text.Length != 12 || !CheckDigit.IsAsciiDigits(text))
            return Parsed<IndividualNumber>.Failure("個人番号は半角数字12桁です");
        if (CheckDigit.Modulus11(text.AsSpan(0, 11)) != text[11] - '0')
            return Parsed<IndividualNumber>.Failure("個人番号のチェックデジットが一致しません");
        return Parsed<IndividualNumber>.Success(new IndividualNumber(text));
    }

    /// <summary>The digits, for encryption at rest and nothing else.</summary>
    internal string RevealForSealing() => _digits;

    public override string ToString() => Mask;
    public bool Equals(IndividualNumber? other) => other is not null && string.Equals(_digits, other._digits, StringComparison.Ordinal);
    public override bool Equals(object? obj) => Equals(obj as IndividualNumber);
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_digits);
}
