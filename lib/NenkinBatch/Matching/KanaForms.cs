namespace NenkinBatch.Matching;

/// <summary>A kana name at every folding level, computed once (see <see cref="KanaKey"/>).</summary>
public sealed record KanaForms(string Raw, string Width, string Small, string Loose)
{
    public static KanaForms Of(string kana)
    {
        var width = KanaKey.Width(kana);
        var small = KanaKey.Small(width);
        if (small == width) small = width;
        var loose = KanaKey.Loose(small);
        if (loose == small) loose = small;
        return new KanaForms(kana, width, small, loose);
    }

    public static KanaLevel Compare(KanaForms a, KanaForms b)
    {
        if (string.Equals(a.Raw, b.Raw, StringComparison.Ordinal)) return KanaLevel.Exact;
        if (string.Equals(a.Width, b.Width, StringComparison.Ordinal)) return KanaLevel.Width;
        if (string.Equals(a.Small, b.Small, StringComparison.Ordinal)) return KanaLevel.Small;
        return string.Equals(a.Loose, b.Loose, StringComparison.Ordinal) ? KanaLevel.Loose : KanaLevel.Different;
    }
}
