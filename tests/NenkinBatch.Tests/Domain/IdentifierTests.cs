using NenkinBatch.Domain;

namespace NenkinBatch.Tests.Domain;

public class IdentifierTests
{
    [Theory]
    [InlineData("123456789015")] // 12345678901: Σ Pn·Qn = 212, 212 mod 11 = 3 → check 8, so a trailing 5 is wrong
    public void IndividualNumber_WrongCheckDigit_RejectedWithoutEchoingIt(string text)
    {
        var parsed = IndividualNumber.Parse(text);
        parsed.Ok.ShouldBeFalse();
        parsed.Error!.ShouldContain("チェックデジット");
        parsed.Error!.ShouldNotContain(text);
    }

    [Fact]
    public void IndividualNumber_ValidCheckDigit_AcceptedAndNeverPrinted()
    {
        var parsed = IndividualNumber.Parse("123456789018");
        parsed.Ok.ShouldBeTrue();
        parsed.Value!.ToString().ShouldBe("************");
        $"{parsed.Value}".ShouldNotContain("1234");
    }

    [Theory]
    [InlineData("12345678901")]
    [InlineData("1234567890123")]
    [InlineData("12345678901a")]
    public void IndividualNumber_NotTwelveDigits_Rejected(string text) =>
        IndividualNumber.Parse(text).Error.ShouldBe("個人番号は半角数字12桁です");

    [Theory]
    [InlineData("0000000000", 0)] // remainder 0 → 0
    [InlineData("12345678901", 8)]
    public void Modulus11_KnownValues(string body, int expected) => CheckDigit.Modulus11(body).ShouldBe(expected);

    [Theory]
    [InlineData("1234567890", "1234567890")]
    [InlineData("1234-567890", "1234567890")]
    public void BasicPensionNumber_FormAccepted(string text, string expected) => BasicPensionNumber.Parse(text).Value.Value.ShouldBe(expected);

    [Theory]
    [InlineData("123456789")]
    [InlineData("12-34567890")]
    [InlineData("123456789X")]
    public void BasicPensionNumber_BadForm_Rejected(string text) => BasicPensionNumber.Parse(text).Ok.ShouldBeFalse();

    [Theory]
    [InlineData("121002", true)]  // 千葉市
    [InlineData("131016", true)]  // 千代田区
    [InlineData("121003", false)]
    [InlineData("12100", false)]
    public void MunicipalityCode_CheckDigit(string text, bool ok) => MunicipalityCode.Parse(text).Ok.ShouldBe(ok);

    [Fact]
    public void AtenaNumber_FailedCheckDigit_IsOnlyReported()
    {
        var good = AtenaNumber.WithCheckDigit("100000007");
        AtenaNumber.Parse(good).Value.HasValidCheckDigit.ShouldBeTrue();
        var legacy = NenkinBatch.Tests.Support.MemberFile.WithWrongCheckDigit(good);
        var parsed = AtenaNumber.Parse(legacy);
        parsed.Ok.ShouldBeTrue();
        parsed.Value.HasValidCheckDigit.ShouldBeFalse();
    }

    [Theory]
    [InlineData("19700312", 1970, 3, 12, true)]
    [InlineData("19700300", 1970, 3, null, false)]
    [InlineData("19700000", 1970, null, null, false)]
    public void BirthDate_UnknownParts_KeptWithoutInventingADate(string text, int year, int? month, int? day, bool complete)
    {
        var parsed = BirthDate.ParseCompact(text);
        parsed.Ok.ShouldBeTrue();
        var value = parsed.Value;
        (value.Year, value.Month, value.Day, value.IsComplete).ShouldBe((year, month, day, complete));
        if (!complete) (value.Date, value.UnknownText).ShouldBe((null, text));
    }

    [Theory]
    [InlineData("19700230")]
    [InlineData("19701301")]
    [InlineData("19700012")]
    [InlineData("1970031")]
    public void BirthDate_Impossible_Rejected(string text) => BirthDate.ParseCompact(text).Ok.ShouldBeFalse();
}
