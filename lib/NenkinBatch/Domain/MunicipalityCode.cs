namespace NenkinBatch.Domain;

/// <summary>市区町村コード: 5 digits of JIS X 0401/0402 and a check digit (weights 6..2, 11 − remainder, last digit kept).</summary>
public readonly record struct MunicipalityCode(string Value)
{
    public static Parsed<MunicipalityCode> Parse(string? text)
    {
        if (text is null || text.Length != 6 || !CheckDigit.IsAsciiDigits(text))
            return Parsed<MunicipalityCode>.Failure("市区町村コードは数字6桁です");
        var sum = 0;
        for (var i = 0; i < 5; i++) sum += (text[i] - '0') * (6 - i);
        var check = (11 - sum % 11) % 10;
        return check == text[5] - '0'
            ? Parsed<MunicipalityCode>.Success(new MunicipalityCode(text))
            : Parsed<MunicipalityCode>.Failure("市区町村コードの検査数字が一致しません");
    }

    public override string ToString() => Value;
}
