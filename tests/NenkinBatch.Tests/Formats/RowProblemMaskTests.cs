using System.Text.RegularExpressions;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Layouts;

namespace NenkinBatch.Tests.Formats;

/// <summary>No 個人番号 reaches an error list through a value shown with a problem, whatever field holds it and however long.</summary>
public class RowProblemMaskTests
{
    [Theory]
    [InlineData("100012749591")]
    [InlineData("100012749591100012749592")]
    [InlineData("番号100012749591です")]
    [InlineData("１０００１２７４９５９１")]
    public void Masked_HidesEveryRunOfTwelveOrMoreDigits(string value) =>
        RowProblem.Masked("氏名", value)!.ShouldNotMatch("[0-9０-９]{4}");

    [Fact]
    public void Masked_LeavesShorterNumbersAsTheyAre() =>
        RowProblem.Masked("郵便番号", "12345678901").ShouldBe("12345678901");

    [Fact]
    public void AnOverlongValue_IsMaskedBeforeItIsCutForTheList()
    {
        // A 個人番号 shifted into a one-character field: cut to a few characters first, eleven of its digits would be left.
        var layout = Layout.Resolve("juki-change-csv");
        var values = new string?[layout.Fields.Count];
        values[layout.IndexOf("disclosure_block")] = "100012749591";
        var parser = new FieldParser(layout, CodeTables.BuiltIn, "f.csv", 2).With(values);

        parser.CodeNumber("disclosure_block");

        var problem = parser.Problems.ShouldHaveSingleItem();
        problem.Field.ShouldBe(layout.Field("disclosure_block").Label);
        problem.Value.ShouldNotBeNull();
        Regex.IsMatch(problem.Value, "[0-9]{2}").ShouldBeFalse(problem.Value);
    }

    [Fact]
    public void AVariationSelector_CountsWithItsCharacter_AndIsNeverCutFromIt()
    {
        // 葛 with an ideographic variation selector (文字情報基盤): two code points, one character on paper.
        const string kuzu = "葛\U000E0100";
        var layout = Layout.Resolve("juki-change-csv");
        var max = layout.Field("name").MaxLength;
        FieldParser Parse(string name)
        {
            var values = new string?[layout.Fields.Count];
            values[layout.IndexOf("name")] = name;
            var parser = new FieldParser(layout, CodeTables.BuiltIn, "f.csv", 2).With(values);
            parser.Text("name");
            return parser;
        }

        Parse(string.Concat(Enumerable.Repeat(kuzu, max))).Problems.ShouldBeEmpty();
        var over = Parse(string.Concat(Enumerable.Repeat(kuzu, max + 1))).Problems.ShouldHaveSingleItem();
        over.Reason.ShouldContain($"{max + 1:N0} 文字");
        over.Value!.ShouldEndWith("\U000E0100…");
        // One selector a character: selectors alone, or piled on one character, count each, and the list shows a few.
        Parse(new string('\uFE00', max + 1)).Problems.ShouldHaveSingleItem();
        var piled = Parse("葛" + new string('\uFE00', 100_000)).Problems.ShouldHaveSingleItem();
        piled.Value!.Length.ShouldBeLessThan(max + 20);
    }
}
