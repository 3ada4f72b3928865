using System.Text;
using System.Text.RegularExpressions;

namespace NenkinBatch.Matching;

/// <summary>
/// Address canonicalisation (docs/domain.md, "Matching people, as implemented" → "Normalisation levels"): NFKC for
/// digits and Latin; kanji numerals → digits in 丁目/番/番地/号; `1丁目2番3号`, `1-2-3` and `一丁目2番地3` alike;
/// ヶ/ケ/が and 之/ノ/の alike; a leading 都道府県 and 市 may be left out on one side.
/// </summary>
public static partial class AddressCanon
{
    public static AddressKey Parse(string address)
    {
        var text = address.Normalize(NormalizationForm.FormKC).Replace(" ", "", StringComparison.Ordinal)
            .Replace('ヶ', 'ケ').Replace('が', 'ケ').Replace('之', 'ノ').Replace('の', 'ノ');
        // A dash between two numbers is a separator whatever its form; elsewhere (コーポ) it is part of a name.
        text = NumberDash().Replace(text, "-");
        text = KanjiNumeral().Replace(text, m => KanjiToNumber(m.Groups[1].Value) + m.Groups[2].Value);
        var numbers = Numbers().Match(text);
        if (!numbers.Success) return new AddressKey(StripPrefix(text), "", null);
        var parts = new[] { numbers.Groups[1].Value, numbers.Groups[2].Value, numbers.Groups[3].Value }.Where(p => p.Length > 0);
        var suffix = text[(numbers.Index + numbers.Length)..].Trim();
        return new AddressKey(StripPrefix(text[..numbers.Index]), string.Join("-", parts), suffix.Length == 0 ? null : suffix);
    }

    /// <summary>The place without a leading 都道府県 and 市 (a 区 of a designated city stays: it tells places apart).</summary>
    private static string StripPrefix(string place)
    {
        var withoutPrefecture = Prefecture().Replace(place, "");
        return City().Replace(withoutPrefecture, "");
    }

    private static string KanjiToNumber(string kanji)
    {
        const string digits = "〇一二三四五六七八九";
        var value = 0;
        var current = 0;
        foreach (var c in kanji)
        {
            if (c == '十') { value += (current == 0 ? 1 : current) * 10; current = 0; }
            else current = digits.IndexOf(c, StringComparison.Ordinal);
        }
        return (value + current).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(?<=\d)[－‐−ー―](?=\d)")]
    private static partial Regex NumberDash();

    [GeneratedRegex("([〇一二三四五六七八九十]+)(丁目|番地|番|号)")]
    private static partial Regex KanjiNumeral();

    // 1丁目2番3号 / 1丁目2番地3 / 1-2-3 / 1丁目2-3 … (the numbers at the end of the place, before any 方書)
    [GeneratedRegex(@"(\d+)(?:丁目|-)(?:(\d+)(?:番地|番|-))?(?:(\d+)号?)?")]
    private static partial Regex Numbers();

    [GeneratedRegex("^(東京都|北海道|(?:京都|大阪)府|.{2,3}県)")]
    private static partial Regex Prefecture();

    // Only a designated city's name before its ward: a 市 inside a town name (市場町) must stay.
    [GeneratedRegex("^.{1,4}?市(?=.{1,4}?区)")]
    private static partial Regex City();
}
