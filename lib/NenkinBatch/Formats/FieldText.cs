namespace NenkinBatch.Formats;

/// <summary>Field clean-up shared by every reader (docs/formats.md, "Common input rules").</summary>
public static class FieldText
{
    // A byte-order mark left at the start of a first field is no more content than a space.
    private static readonly char[] Blanks = [' ', '\t', '\u3000', '\uFEFF'];

    /// <summary>Trims ASCII and ideographic spaces at both ends; an empty field becomes null.</summary>
    public static string? Clean(string? raw)
    {
        if (raw is null) return null;
        var trimmed = raw.Trim(Blanks);
        return trimmed.Length == 0 ? null : trimmed;
    }

    /// <summary>The text with control characters written as <c>U+0000</c>: safe to show on a console or in a log line.</summary>
    public static string Printable(string text)
    {
        if (!text.AsSpan().ContainsAny(Controls)) return text;
        var builder = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsControl(c)) builder.Append("U+").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            else builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>Unicode's control characters (category Cc): C0, DEL and C1.</summary>
    public static readonly System.Buffers.SearchValues<char> Controls =
        System.Buffers.SearchValues.Create(new string(Enumerable.Range(0, 0xA0).Where(i => i < 0x20 || i >= 0x7F).Select(i => (char)i).ToArray()));
}
