namespace NenkinBatch.Domain;

/// <summary>
/// The modulus-11 check digit shared by 個人番号 (総務省令第85号 第5条) and the 宛名番号/世帯番号 of
/// the 住民記録 standard: weights 2,3,4,5,6,7 repeating from the rightmost body digit,
/// check = 11 − (Σ mod 11), and 0 when the remainder is 0 or 1.
/// </summary>
public static class CheckDigit
{
    public static int Modulus11(ReadOnlySpan<char> body)
    {
        var sum = 0;
        for (var n = 1; n <= body.Length; n++)
        {
            var digit = body[^n] - '0';
            var weight = (n - 1) % 6 + 2;
            sum += digit * weight;
        }
        var remainder = sum % 11;
        return remainder <= 1 ? 0 : 11 - remainder;
    }

    public static bool IsAsciiDigits(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return false;
        foreach (var c in text)
        {
            if (c is < '0' or > '9') return false;
        }
        return true;
    }
}
