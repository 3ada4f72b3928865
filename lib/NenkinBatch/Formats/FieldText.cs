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
}
