using System.Text;
using NenkinBatch.Domain.Text;

namespace NenkinBatch.Matching;

/// <summary>
/// Kana normalisation by levels, from the 住民記録システム標準仕様書 §2.1.2 search rules (docs/domain.md,
/// "Matching people, as implemented" → "Normalisation levels").
/// One refinement: a long-vowel mark becomes the vowel it lengthens instead of being dropped, so that
/// ユウコ and ユーコ (and ショウタ and ショータ, through the オ段+ウ rule) meet at the loose level.
/// </summary>
public static class KanaKey
{
    private const string SmallKana = "ァィゥェォャュョッヮヵヶ";
    private const string LargeKana = "アイウエオヤユヨツワカケ";
    private const string LongMarks = "ーｰ―－‐-‑–—";

    public static KanaLevel Compare(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal)) return KanaLevel.Exact;
        var (wa, wb) = (Width(a), Width(b));
        if (wa == wb) return KanaLevel.Width;
        var (sa, sb) = (Small(wa), Small(wb));
        if (sa == sb) return KanaLevel.Small;
        return Loose(sa) == Loose(sb) ? KanaLevel.Loose : KanaLevel.Different;
    }

    /// <summary>Full-width katakana, no spaces between 氏 and 名, long-vowel and dash variants as one mark.</summary>
    public static string Width(string text)
    {
        var builder = new StringBuilder(text.Length);
        var full = KanaWidth.ToFullWidth(text);
        foreach (var c in full)
        {
            if (c is ' ' or '\u3000' or '･' or '・') continue;
            if (c is >= 'ぁ' and <= 'ゖ') builder.Append((char)(c + 0x60)); // hiragana → katakana
            else if (LongMarks.Contains(c, StringComparison.Ordinal)) builder.Append('ー');
            else builder.Append(c is >= '\u30A0' and <= '\u30FF' ? c : char.ToUpperInvariant(c)); // katakana has no case: skip the lookup
        }
        return builder.ToString();
    }

    public static string Small(string width)
    {
        var builder = new StringBuilder(width.Length);
        foreach (var c in width)
        {
            var i = SmallKana.IndexOf(c, StringComparison.Ordinal);
            builder.Append(i >= 0 ? LargeKana[i] : c);
        }
        return builder.ToString();
    }

    /// <summary>The loose key: voiced variants folded, long vowels spelt out, オ段+ウ → オ段+オ.</summary>
    public static string Loose(string small)
    {
        var builder = new StringBuilder(small.Length + 4);
        for (var i = 0; i < small.Length; i++)
        {
            var c = small[i];
            switch (c)
            {
                case 'ヂ': builder.Append('ジ'); break;
                case 'ヅ': builder.Append('ズ'); break;
                case 'ヲ': builder.Append('オ'); break;
                case 'ヰ': builder.Append('イ'); break;
                case 'ヱ': builder.Append('エ'); break;
                case 'ヴ':
                    // ヴァ ヴィ ヴ ヴェ ヴォ → バ ビ ブ ベ ボ (the following vowel, made large above, is absorbed)
                    var next = i + 1 < small.Length ? small[i + 1] : '\0';
                    var voiced = next switch { 'ア' => 'バ', 'イ' => 'ビ', 'エ' => 'ベ', 'オ' => 'ボ', _ => '\0' };
                    if (voiced != '\0') { builder.Append(voiced); i++; }
                    else builder.Append('ブ');
                    break;
                case 'ー':
                    if (builder.Length > 0) builder.Append(VowelOf(builder[^1]));
                    break;
                default: builder.Append(c); break;
            }
        }
        // オ段 + ウ → オ段 + オ (コウ ≈ コオ)
        for (var i = 1; i < builder.Length; i++)
        {
            if (builder[i] == 'ウ' && VowelOf(builder[i - 1]) == 'オ') builder[i] = 'オ';
        }
        return builder.ToString();
    }

    private static char VowelOf(char kana)
    {
        const string a = "アカガサザタダナハバパマヤラワ", i = "イキギシジチヂニヒビピミリ", u = "ウクグスズツヅヌフブプムユル", e = "エケゲセゼテデネヘベペメレ", o = "オコゴソゾトドノホボポモヨロヲ";
        if (a.Contains(kana, StringComparison.Ordinal)) return 'ア';
        if (i.Contains(kana, StringComparison.Ordinal)) return 'イ';
        if (u.Contains(kana, StringComparison.Ordinal)) return 'ウ';
        if (e.Contains(kana, StringComparison.Ordinal)) return 'エ';
        if (o.Contains(kana, StringComparison.Ordinal)) return 'オ';
        return 'ー';
    }
}
