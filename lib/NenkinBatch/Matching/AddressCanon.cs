using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace NenkinBatch.Matching;

/// <summary>
/// Address canonicalisation (docs/domain.md, "Matching people, as implemented" → "Normalisation levels"). One pass over
/// the NFKC text splits it into the place, the house numbers and the 方書, folding as it goes:
/// <list type="bullet">
/// <item>the house numbers are a list of up to three numbers, whatever joins them: `１丁目２番３号`, `1-2-3`,
/// `一丁目2番地3` and `1丁目2の3` are 1-2-3, and `37番地29`, `37-29`, `３７番２９号`, `37の29`, `三十七番地二十九` are 37-29
/// (a town without 丁目 simply has one number fewer). Kanji numerals (十, 百, 千 and 〇 too) become digits only where
/// they are such a number, or the number of a 条, 線 or 地割 in the place (`北一条` = `北1条`); a numeral of a place name
/// stays (`八幡町`, `四街道`, `十日市場町`, `一番町`, `八丁堀`).</item>
/// <item>every dash form between two numbers is one separator, and so are 丁目, 丁, 番地, 番, 号 and の/ノ/之.</item>
/// <item>the 方書 is split off: what follows the house numbers (after a space, a building word or nothing), a fourth
/// number (`1-2-3-304`), a number that names a room (`304号室`, `10号棟`), and the third of three bare dashed numbers when
/// it has three digits or more (`40-8-101`: a 号 of a hundred is rare, a room of a hundred common). Without a house
/// number, a building word (Matching/Data/building-words.tsv) starts it.</item>
/// <item>in the place: spaces dropped, ヶ/ケ/が/ヵ and 之/ノ/の and つ/ツ alike, 大字 and 字 left out (not the 字 of 万字 or
/// 十字, after a numeral), variation selectors dropped, 異体字 folded through
/// Matching/Data/place-variants.tsv, and Kyoto's street descriptions kept as written once 上る/下る, 入る/入ル and 通り are
/// spelt one way (`寺町通御池上る` = `寺町通御池上ル`).</item>
/// <item>the prefecture and a 郡 are dropped (the 町 or 村 after a 郡 stays, as part of the town); the city and the ward
/// are set apart, to be compared only where both sides write them (<see cref="AddressKey"/>). A city is read only as
/// `…市` at the start where a prefecture comes before it or a ward after it, or where a town follows that does not begin
/// with 場, 町 or 村 (`十日市場町`, `八日市場`, `上市町`) and the house number does not follow at once (`五日市1-2`): a town
/// whose name holds 市 (`市場町`, `市原`) is not a city.</item>
/// </list>
/// No regular expressions and no intermediate strings (the NFKC text too is folded into a stack buffer where it can be): a
/// million people on file are parsed once each, and each row.
/// </summary>
public static class AddressCanon
{
    private const string KanjiDigits = "〇一二三四五六七八九";

    private static readonly string[] Prefectures =
    [
        "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県", "東京都",
        "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府",
        "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県",
        "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
    ];

    /// <summary>The place names' 異体字 → everyday form (Matching/Data/place-variants.tsv), and the BMP ones to look up at all.</summary>
    private static readonly FrozenDictionary<int, int> Variants = LoadVariants();
    private static readonly SearchValues<char> VariantChars = SearchValues.Create(string.Concat(Variants.Keys.Where(k => k < 0x10000).Select(k => (char)k)));

    /// <summary>The words that begin a 方書 (Matching/Data/building-words.tsv), by the length rule the file states.</summary>
    private static readonly Buildings BuildingWords = Buildings.Load();

    public static AddressKey Parse(string address)
    {
        // The text folded to NFKC, then the place: a numeral of a 条 becomes digits in the place, at most four for one kanji
        // (千 → 1000), so the place may need four times the text.
        char[]? rented = null;
        var buffer = address.Length <= 64 ? stackalloc char[5 * 64 + 16] : (rented = ArrayPool<char>.Shared.Rent(5 * address.Length + 16));
        try
        {
            var width = FoldWidth(address, buffer);
            ReadOnlySpan<char> s = width >= 0 ? buffer[..width] : address.Normalize(NormalizationForm.FormKC);
            var place = buffer[Math.Max(width, 0)..];
            if (place.Length < 4 * s.Length + 16) place = new char[4 * s.Length + 16]; // NFKC made it longer: rare
            var length = 0;
            var rest = s.Length;
            Span<int> numbers = stackalloc int[3];
            var count = 0;
            var afterSpace = false;
            for (var i = 0; i < s.Length;)
            {
                var c = s[i];
                if (IsSpace(c))
                {
                    afterSpace = length > 0;
                    i++;
                    continue;
                }
                if ((afterSpace && PartNamesBuilding(s, i)) || (length > 0 && LongBuildingWordAt(s, i)))
                {
                    rest = i;
                    break;
                }
                afterSpace = false;
                if (IsNumeral(c))
                {
                    var end = NumeralEnd(s, i);
                    if (PlaceUnitLength(s, end) is var unit and > 0)
                    {
                        // 北1条, 二条, 第一地割: a number that names a place.
                        length += WriteNumber(place[length..], Value(s[i..end]));
                        s.Slice(end, unit).CopyTo(place[length..]);
                        length += unit;
                        i = end + unit;
                        continue;
                    }
                    if (IsRoom(s, end))
                    {
                        rest = i;
                        break;
                    }
                    if (char.IsAsciiDigit(c) || StartsHouseNumber(s, end))
                    {
                        (count, rest) = ReadNumbers(s, i, numbers);
                        break;
                    }
                    // A numeral of a place name (八幡町, 十日市場町, 一番町): kept as written.
                    s[i..end].CopyTo(place[length..]);
                    length += end - i;
                    i = end;
                    continue;
                }
                i = AppendPlace(s, i, place, ref length);
            }
            return Key(place[..length], numbers[..count], Suffix(s, rest));
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The text's NFKC form where that is a width fold alone, written to <paramref name="destination"/>: full-width ASCII to
    /// ASCII, the ideographic space to a space, and kanji, kana without combining marks, ASCII and the dash forms as they
    /// are (NFKC leaves them). Returns the length, or -1 where some character needs NFKC itself (half-width kana, a
    /// compatibility ideograph such as 塚 U+FA10, a combining mark): nearly every address folds here, and NFKC's cost is
    /// then spared.
    /// </summary>
    internal static int FoldWidth(ReadOnlySpan<char> text, Span<char> destination)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case >= ' ' and <= '~' or '\t' or (>= '\u3001' and <= '\u3029') or (>= '\u3030' and <= '\u3035') or (>= '\u3041' and <= '\u3096')
                    or '\u309D' or '\u309E' or (>= '\u30A0' and <= '\u30FE') or (>= '\u4E00' and <= '\u9FFF')
                    or '‐' or '‒' or '–' or '—' or '―' or '−' or '─' or '━' or '○':
                    destination[i] = c;
                    break;
                case '\u3000':
                    destination[i] = ' ';
                    break;
                case >= '\uFF01' and <= '\uFF5E':
                    destination[i] = (char)(c - 0xFEE0);
                    break;
                default:
                    return -1;
            }
        }
        return text.Length;
    }

    /// <summary>
    /// The house numbers from <paramref name="start"/>: up to three, joined by 丁目, 丁, 番地, 番, 号, a dash or の; returns
    /// their count and where the 方書 begins.
    /// </summary>
    private static (int Count, int SuffixStart) ReadNumbers(ReadOnlySpan<char> s, int start, Span<int> numbers)
    {
        var count = 0;
        var rest = start;
        var marked = false;
        var (third, thirdDigits) = (-1, 0);
        for (var j = start; ;)
        {
            var end = NumeralEnd(s, j);
            if (count == numbers.Length || IsRoom(s, end))
            {
                rest = j;
                break;
            }
            if (count == 2) (third, thirdDigits) = (j, char.IsAsciiDigit(s[j]) ? end - j : 0);
            numbers[count++] = Value(s[j..end]);
            rest = end;
            var k = end;
            var marker = false;
            if (k < s.Length)
            {
                var c = s[k];
                if (c == '丁' && At(s, k + 1, '目')) (k, marker) = (k + 2, true);
                else if (c == '丁' && IsNumeralAt(s, k + 1)) (k, marker) = (k + 1, true);
                else if (c == '番')
                {
                    (k, marker) = (At(s, k + 1, '地') ? k + 2 : k + 1, true);
                    if (IsNo(s, k) && IsNumeralAt(s, k + 1)) k++; // 1650番地の15
                }
                else if (c == '号')
                {
                    (rest, marked) = (k + 1, true); // 1-2-101号: a 号 of a hundred, said so
                    break;
                }
                else if ((IsDash(c) || IsNo(c)) && IsNumeralAt(s, k + 1)) k++;
                else break;
            }
            if (marker)
            {
                marked = true;
                rest = k;
                while (k < s.Length && IsSpace(s[k])) k++; // 1丁目 2番 3号
            }
            if (!IsNumeralAt(s, k)) break;
            j = k;
        }
        if (count == 3 && !marked && thirdDigits >= 3) (count, rest) = (2, third);
        return (count, rest);
    }

    /// <summary>What follows the house numbers, without the spaces and the dash before it; null when nothing does.</summary>
    private static string? Suffix(ReadOnlySpan<char> s, int rest)
    {
        var suffix = s[rest..].Trim();
        if (suffix.Length > 0 && (IsDash(suffix[0]) || IsNo(suffix[0]))) suffix = suffix[1..].TrimStart();
        return suffix.Length == 0 ? null : suffix.ToString();
    }

    /// <summary>Sets the city and ward apart from the town, and writes the keys.</summary>
    private static AddressKey Key(ReadOnlySpan<char> place, ReadOnlySpan<int> numbers, string? suffix)
    {
        var start = 0;
        var prefecture = false;
        // Every prefecture's name is three characters, or four ending in 県: most addresses are spared the list.
        var named = place.Length >= 3 && (place[2] is '県' or '都' or '府' or '道' || (place.Length >= 4 && place[3] == '県'));
        foreach (var name in named ? Prefectures : [])
        {
            if (!place.StartsWith(name, StringComparison.Ordinal)) continue;
            (start, prefecture) = (name.Length, true);
            break;
        }
        if (UnitEnd(place, start, '郡') is var county and > 0 && county < place.Length) start = county;
        string? city = null, ward = null;
        if (CityEnd(place, start) is var cityEnd and > 0
            && (prefecture || UnitEnd(place, cityEnd, '区') > 0 || (cityEnd < place.Length && place[cityEnd] is not ('場' or '町' or '村'))))
        {
            city = place[start..cityEnd].ToString();
            start = cityEnd;
        }
        if (UnitEnd(place, start, '区') is var wardEnd and > 0)
        {
            ward = place[start..wardEnd].ToString();
            start = wardEnd;
        }
        var townSpan = place[start..];
        var town = townSpan.ToString();
        if (numbers.Length == 0) return new AddressKey(city, ward, town, town, town, suffix);
        Span<char> digits = stackalloc char[3 * 11];
        var written = 0;
        var first = 0;
        foreach (var number in numbers)
        {
            if (written > 0) digits[written++] = '-';
            number.TryFormat(digits[written..], out var width, provider: CultureInfo.InvariantCulture);
            written += width;
            if (first == 0) first = written;
        }
        var area = string.Concat(townSpan, " ", digits[..first]);
        var canonical = numbers.Length == 1 ? area : string.Concat(townSpan, " ", digits[..written]);
        return new AddressKey(city, ward, town, area, canonical, suffix);
    }

    /// <summary>Appends one character of the place, folded; returns where the next one starts.</summary>
    private static int AppendPlace(ReadOnlySpan<char> s, int i, Span<char> place, ref int length)
    {
        var c = s[i];
        var last = length > 0 ? place[length - 1] : '\0';
        switch (c)
        {
            case 'ヶ' or 'ケ' or 'が' or 'ヵ':
                place[length++] = 'ケ';
                return i + 1;
            case 'の' or 'ノ' or '之':
                place[length++] = 'ノ';
                return i + 1;
            case 'つ':
                place[length++] = 'ツ';
                return i + 1;
            case '大' when At(s, i + 1, '字'):
                return i + 2;
            case '字' when !IsNameNumeral(last): // 平井字谷戸 = 平井谷戸; but 万字, 十字 are names
                return i + 1;
            case 'り' when last == '通': // 堀川通り = 堀川通
                return i + 1;
            case 'る' when last is '上' or '下': // 上る = 上ル
                place[length++] = 'ル';
                return i + 1;
            case 'る' or 'ル' when last == '入': // 東入る = 東入ル = 東入
                return i + 1;
        }
        if (c is >= '\uFE00' and <= '\uFE0F') return i + 1; // a variation selector: the same character
        if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            var rune = char.ConvertToUtf32(c, s[i + 1]);
            if (rune is >= 0xE0100 and <= 0xE01EF) return i + 2;
            length += new Rune(Variants.GetValueOrDefault(rune, rune)).EncodeToUtf16(place[length..]);
            return i + 2;
        }
        place[length++] = VariantChars.Contains(c) ? (char)Variants[c] : c;
        return i + 1;
    }

    /// <summary>Whether a kanji numeral ending at <paramref name="end"/> is a house number rather than part of a name.</summary>
    private static bool StartsHouseNumber(ReadOnlySpan<char> s, int end)
    {
        if (end >= s.Length || IsSpace(s[end])) return true; // 串本一二三四
        var next = end + 1 < s.Length ? s[end + 1] : '\0';
        return s[end] switch
        {
            '丁' => next == '目' || IsNumeralAt(s, end + 1),                   // 一丁目, 四丁1-8; not 八丁堀
            '番' => next is '\0' or '地' or '号' || IsSpace(next) || IsNumeralAt(s, end + 1)
                   || ((IsDash(next) || IsNo(next)) && IsNumeralAt(s, end + 2)), // 三十七番地, 四番; not 一番町
            '号' => true,
            var c => (IsDash(c) || IsNo(c)) && IsNumeralAt(s, end + 1),       // 四-2-27, 二の九; not 一ノ江
        };
    }

    /// <summary>The length of 条, 線 or 地割 at <paramref name="i"/>: a number before it names a place; else 0.</summary>
    private static int PlaceUnitLength(ReadOnlySpan<char> s, int i) =>
        i >= s.Length ? 0 : s[i] is '条' or '線' ? 1 : s[i] == '地' && At(s, i + 1, '割') ? 2 : 0;

    /// <summary>Whether the number ending at <paramref name="i"/> names a room or a building rather than a house: 304号室, 10号棟, 3階, 2F.</summary>
    private static bool IsRoom(ReadOnlySpan<char> s, int i)
    {
        if (i >= s.Length) return false;
        var next = i + 1 < s.Length ? s[i + 1] : '\0';
        return s[i] switch
        {
            '号' => next is '室' or '棟' or '館',
            '番' => next == '館',
            '室' or '階' or '棟' => true,
            'F' or 'f' => !char.IsAsciiLetter(next),
            _ => false,
        };
    }

    /// <summary>
    /// Whether the part of the address from <paramref name="i"/> to the next space or number names a building (a 方書 after a
    /// space: `土気町 パークサイド緑 346号室`, `緑荘 201`); a town before its house number (`小山田桜台2-4-10号棟`) does not.
    /// </summary>
    private static bool PartNamesBuilding(ReadOnlySpan<char> s, int i)
    {
        var end = i;
        while (end < s.Length && !IsSpace(s[end]) && !IsNumeral(s[end])) end++;
        var part = s[i..end];
        foreach (var word in BuildingWords.Long)
        {
            if (part.Contains(word, StringComparison.Ordinal)) return true;
        }
        // A one-character word only at the part's end, and only before a space, a room number or nothing (`緑荘 201`, `A棟`,
        // `緑荘201号室`): before a house number it ends a town's name (`岐阜市 西荘3丁目`).
        return part.Length > 0 && BuildingWords.Short.Contains(part[^1], StringComparison.Ordinal)
            && (end == s.Length || IsSpace(s[end]) || IsRoom(s, NumeralEnd(s, end)));
    }

    private static bool LongBuildingWordAt(ReadOnlySpan<char> s, int i)
    {
        if (!BuildingWords.LongFirsts.Contains(s[i])) return false;
        foreach (var word in BuildingWords.Long)
        {
            if (s[i..].StartsWith(word, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>
    /// The end of `…市` at <paramref name="start"/> (after its 市), or 0: one to seven characters, none a digit, 区 or 郡
    /// (町 and 村 may be: 町田市, 東村山市), and 市 only as in 四日市市 (a 市 after 日 and before another 市).
    /// </summary>
    private static int CityEnd(ReadOnlySpan<char> place, int start)
    {
        if (start >= place.Length || place[start] is '区' or '郡' || char.IsAsciiDigit(place[start])) return 0;
        for (var i = start + 1; i < place.Length && i - start <= 7; i++)
        {
            var c = place[i];
            if (c == '市')
            {
                if (place[i - 1] == '日' && At(place, i + 1, '市')) continue;
                return i + 1;
            }
            if (c is '区' or '郡' || char.IsAsciiDigit(c)) return 0;
        }
        return 0;
    }

    /// <summary>The end of a 郡 or 区 at <paramref name="start"/> (after the unit), or 0: one to four characters, none a digit or 市区町村郡.</summary>
    private static int UnitEnd(ReadOnlySpan<char> place, int start, char unit)
    {
        for (var i = start; i < place.Length && i - start <= 4; i++)
        {
            var c = place[i];
            if (c == unit) return i > start ? i + 1 : 0;
            if (c is '市' or '区' or '町' or '村' or '郡' || char.IsAsciiDigit(c)) return 0;
        }
        return 0;
    }

    /// <summary>Writes a number's digits; returns how many.</summary>
    private static int WriteNumber(Span<char> destination, int value)
    {
        value.TryFormat(destination, out var written, provider: CultureInfo.InvariantCulture);
        return written;
    }

    /// <summary>The value of a run of digits or of kanji numerals: 二十三, 百五, 千二百三十四, 一〇五 and 一二三四 alike.</summary>
    private static int Value(ReadOnlySpan<char> run)
    {
        long total = 0, current = 0;
        var pending = false;
        foreach (var c in run)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : c == '○' ? 0 : KanjiDigits.IndexOf(c, StringComparison.Ordinal);
            if (digit >= 0)
            {
                (current, pending) = (pending ? current * 10 + digit : digit, true);
            }
            else
            {
                total += (pending ? current : 1) * (c == '十' ? 10 : c == '百' ? 100 : 1000);
                (current, pending) = (0, false);
            }
            if (total + current > int.MaxValue) return int.MaxValue;
        }
        return (int)(total + current);
    }

    /// <summary>The end of the run of digits, or of kanji numerals, that starts at <paramref name="i"/>.</summary>
    private static int NumeralEnd(ReadOnlySpan<char> s, int i)
    {
        var digits = char.IsAsciiDigit(s[i]);
        var end = i;
        while (end < s.Length && (digits ? char.IsAsciiDigit(s[end]) : IsKanjiNumeral(s[end]))) end++;
        return end;
    }

    private static bool IsNameNumeral(char c) => IsKanjiNumeral(c) || c == '万';
    private static bool IsNumeral(char c) => char.IsAsciiDigit(c) || IsKanjiNumeral(c);
    private static bool IsNumeralAt(ReadOnlySpan<char> s, int i) => i < s.Length && IsNumeral(s[i]);
    private static bool IsKanjiNumeral(char c) => c is '〇' or '○' or '一' or '二' or '三' or '四' or '五' or '六' or '七' or '八' or '九' or '十' or '百' or '千';
    private static bool At(ReadOnlySpan<char> s, int i, char c) => i < s.Length && s[i] == c;
    private static bool IsSpace(char c) => c is ' ' or '\u3000' or '\t';
    private static bool IsNo(char c) => c is 'の' or 'ノ' or '之';
    private static bool IsNo(ReadOnlySpan<char> s, int i) => i < s.Length && IsNo(s[i]);

    /// <summary>Every dash form, full width folded already by NFKC: hyphen, minus, en and em dash, bar, long vowel, box lines.</summary>
    internal static bool IsDash(char c) => c is '-' or '‐' or '‑' or '‒' or '–' or '—' or '―' or '−' or 'ー' or '─' or '━' or '﹣' or '－' or 'ｰ';

    private static FrozenDictionary<int, int> LoadVariants()
    {
        var table = new Dictionary<int, int>();
        foreach (var line in DataLines("matching/place-variants.tsv"))
        {
            var parts = line.Split('\t');
            table[char.ConvertToUtf32(parts[0], 0)] = char.ConvertToUtf32(parts[1], 0);
        }
        return table.ToFrozenDictionary();
    }

    /// <summary>The building words of two characters or more with their first characters, and the one-character ones.</summary>
    private sealed record Buildings(string[] Long, SearchValues<char> LongFirsts, string Short)
    {
        public static Buildings Load()
        {
            var words = DataLines("matching/building-words.tsv").Select(l => l.Trim()).ToList();
            var longWords = words.Where(w => w.Length > 1).ToArray();
            return new Buildings(longWords, SearchValues.Create(string.Concat(longWords.Select(w => w[0]))), string.Concat(words.Where(w => w.Length == 1)));
        }
    }

    private static IEnumerable<string> DataLines(string resource)
    {
        using var stream = typeof(AddressCanon).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} missing from the assembly");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#')) lines.Add(line);
        }
        return lines;
    }
}
