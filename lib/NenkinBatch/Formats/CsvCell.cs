using System.Text;

namespace NenkinBatch.Formats;

/// <summary>A cell of a CSV the office opens in a spreadsheet: RFC 4180 quoting, and formula injection neutralised.</summary>
public static class CsvCell
{
    /// <summary>Quotes as RFC 4180 needs, and prefixes <c>'</c> to a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR).</summary>
    public static void Append(StringBuilder line, string value)
    {
        var neutralise = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';
        var quote = value.AsSpan().IndexOfAny(",\"\r\n") >= 0;
        if (quote) line.Append('"');
        if (neutralise) line.Append('\'');
        if (quote) line.Append(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        else line.Append(value);
        if (quote) line.Append('"');
    }

    public static string Of(string value)
    {
        var line = new StringBuilder(value.Length + 3);
        Append(line, value);
        return line.ToString();
    }
}
