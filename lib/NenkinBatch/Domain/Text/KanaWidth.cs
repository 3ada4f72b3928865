using System.Text;

namespace NenkinBatch.Domain.Text;

/// <summary>
/// Full-width ↔ half-width katakana. JPS and older systems write half-width kana (ｶﾞ is two
/// characters: ｶ + ﾞ); the register writes full-width.
/// </summary>
public static class KanaWidth
{
    private const string Full = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン";
    private const string Half = "｡｢｣､･ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ";
    private const string Voiced = "ガギグゲゴザジズゼゾダヂヅデドバビブベボ";
    private const string VoicedBase = "カキクケコサシスセソタチツテトハヒフヘホ";
    private const string SemiVoiced = "パピプペポ";
    private const string SemiVoicedBase = "ハヒフヘホ";

    public static string ToHalfWidth(string text)
    {
        var builder = new StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            int i;
            if ((i = Full.IndexOf(c, StringComparison.Ordinal)) >= 0) builder.Append(Half[i]);
            else if ((i = Voiced.IndexOf(c, StringComparison.Ordinal)) >= 0) builder.Append(Half[Full.IndexOf(VoicedBase[i], StringComparison.Ordinal)]).Append('ﾞ');
            else if ((i = SemiVoiced.IndexOf(c, StringComparison.Ordinal)) >= 0) builder.Append(Half[Full.IndexOf(SemiVoicedBase[i], StringComparison.Ordinal)]).Append('ﾟ');
            else if (c == 'ヴ') builder.Append("ｳﾞ");
            else if (c == '\u3000') builder.Append(' ');
            else builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>ASCII letters, digits and the hyphen as their full-width forms (JIS X 0208), for full-width fields.</summary>
    public static string ToFullWidthAscii(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                >= '0' and <= '9' or >= 'A' and <= 'Z' or >= 'a' and <= 'z' => (char)(c - 0x20 + 0xFF00),
                '-' => '－',
                ' ' => '\u3000',
                _ => c,
            });
        }
        return builder.ToString();
    }
}
