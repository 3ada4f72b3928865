using System.Text.RegularExpressions;

namespace NenkinBatch.Formats;

public enum ProblemSeverity
{
    /// <summary>The row is rejected and listed; the rest of the file goes on.</summary>
    Error,
    /// <summary>The row is kept; the operator is told.</summary>
    Warning,
}

/// <summary>
/// One thing wrong with one input row: file, line, field, the value as read and why.
/// A 個人番号 never survives into a problem: the value is masked when the problem is made.
/// </summary>
public sealed partial record RowProblem(ProblemSeverity Severity, string File, long? Line, string? Field, string? Value, string Reason)
{
    public const string IndividualNumberField = "個人番号";

    public static RowProblem Error(string file, long? line, string? field, string? value, string reason) =>
        new(ProblemSeverity.Error, file, line, field, Masked(field, value), reason);

    public static RowProblem Warning(string file, long? line, string? field, string? value, string reason) =>
        new(ProblemSeverity.Warning, file, line, field, Masked(field, value), reason);

    /// <summary>
    /// Masks the 個人番号 field whatever it holds, and any run of 12 or more digits in any other field: a shifted column
    /// must not carry a 個人番号 into an error list, nor two of them run together. A value cut short for the list is
    /// masked before it is cut, so that no 11 of a number's digits survive (the 12th is the check digit).
    /// </summary>
    public static string? Masked(string? field, string? value)
    {
        if (string.IsNullOrEmpty(value)) return value;
        if (string.Equals(field, IndividualNumberField, StringComparison.Ordinal)) return Domain.IndividualNumber.Mask;
        return TwelveDigits().Replace(value, Domain.IndividualNumber.Mask);
    }

    /// <summary>A sentence for an operator's console or log: no value, since values may be personal data.</summary>
    public string Describe() =>
        $"{File}{(Line is { } l ? $" {l}行目" : "")}{(Field is null ? "" : $" 項目「{Field}」")}: {Reason}";

    [GeneratedRegex(@"[0-9０-９]{12,}")]
    private static partial Regex TwelveDigits();
}
