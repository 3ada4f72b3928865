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

    /// <summary>Half-width katakana to full-width, joining ﾞ and ﾟ with the kana before them (ｶﾞ → ガ).</summary>
    public static string ToFullWidth(string text)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var h = Half.IndexOf(text[i], StringComparison.Ordinal);
            if (h < 0)
            {
                builder.Append(text[i] == ' ' ? '\u3000' : text[i]);
                continue;
            }
            var full = Full[h];
            var mark = i + 1 < text.Length ? text[i + 1] : '\0';
            int v;
            if (mark == 'ﾞ' && (v = VoicedBase.IndexOf(full, StringComparison.Ordinal)) >= 0) { full = Voiced[v]; i++; }
            else if (mark == 'ﾞ' && full == 'ウ') { full = 'ヴ'; i++; }
            else if (mark == 'ﾟ' && (v = SemiVoicedBase.IndexOf(full, StringComparison.Ordinal)) >= 0) { full = SemiVoiced[v]; i++; }
            builder.Append(full);
        }
        return builder.ToString();
    }
}
