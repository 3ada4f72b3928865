using NenkinBatch.Domain;
using NenkinBatch.Domain.Text;
using NenkinBatch.Formats;
using NenkinBatch.Synthetic;

namespace NenkinBatch.Tests.Synthetic;

/// <summary>
/// The cases of the generated list (20,000 people, 3,000 rows), checked from the files alone: each row is what its cases
/// in truth.csv say — the address's notation, the namesakes, the maiden names, who left, the misspelt foreign names.
/// </summary>
public class JpsCasesTests(GeneratedCity city) : IClassFixture<GeneratedCity>
{
    /// <summary>A list row with its truth: the JPS fields by label, the 宛名番号 it is about, its cases.</summary>
    private sealed record Row(int Line, IReadOnlyDictionary<string, string> Jps, string Atena, IReadOnlySet<string> Cases, string ResidentAtena)
    {
        public bool Has(string @case) => Cases.Contains(@case);
        public string Address => Jps["住所"];
    }

    private List<Row> Rows()
    {
        var lines = File.ReadAllLines(city.File(CityFiles.JpsCsvFile), TextEncodings.Cp932Strict);
        var labels = lines[0].Split(',');
        var truth = File.ReadAllLines(city.File(CityFiles.TruthFile)).Skip(1).Select(l => l.Split(',')).ToList();
        return truth.Select(t =>
        {
            var line = int.Parse(t[1], System.Globalization.CultureInfo.InvariantCulture);
            var fields = labels.Zip(lines[line].Split(',')).ToDictionary(x => x.First, x => x.Second, StringComparer.Ordinal);
            return new Row(line, fields, t[2], t[3].Split(';', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal), t[4]);
        }).ToList();
    }

    private Dictionary<string, string[]> Members() => File.ReadAllLines(city.File(CityFiles.MembersFile)).Skip(1).Select(l => l.Split(','))
        .GroupBy(m => m[0]).ToDictionary(g => g.Key, g => g.First());

    [Fact]
    public void Truth_NamesEveryCase()
    {
        var cases = Rows().SelectMany(r => r.Cases).ToHashSet();
        string[] expected =
        [
            "banchi-town", "notation:chome-ban-go", "notation:hyphen", "notation:kanji-chome", "notation:kanji", "notation:no", "notation:banchi", "notation:ban-go",
            "dash:U+2010", "dash:U+2015", "dash:U+30FC", "dash:U+FF70", "dash:U+002D", "digits:half-width", "omitted:prefecture", "omitted:city", "omitted:ward",
            "oaza", "room-number", "suffix-one-side", "suffix-one-side:register", "suffix-one-side:jps",
            "namesake-not-on-file", "namesake-not-on-file:with-number", "namesake-not-on-file:no-number", "maiden-name", "moved-out", "moved-out:new-address",
            "old-address", "old-address:history", "old-address:no-history", "alphabet-swapped", "alphabet-typo", "alphabet-dropped-name", "kana-typo",
            "wrong-pension-number", "numbers:none",
        ];
        foreach (var c in expected) cases.ShouldContain(c, c);
    }

    [Fact]
    public void Addresses_EachRowWritesTheRegistersNumbersTheWayItsCasesSay()
    {
        var members = Members();
        var towns = Vocabulary.BuiltIn.Towns.Concat(Vocabulary.BuiltIn.BanchiTowns).ToList();
        var checkedRows = 0;
        foreach (var row in Rows().Where(r => r.Atena.Length > 0 && !r.Has("old-address") && !r.Has("moved-out:new-address")))
        {
            var member = members[row.Atena];
            var register = member[7];
            var town = towns.Where(t => register.StartsWith($"千葉県千葉市{t.Ward}{t.Name}", StringComparison.Ordinal)).MaxBy(t => t.Name.Length)!;
            var (written, suffix) = row.Address.IndexOf('\u3000') is var blank and >= 0 ? (row.Address[..blank], row.Address[(blank + 1)..]) : (row.Address, null);
            var at = written.IndexOf(town.Name, written.IndexOf(town.Ward, StringComparison.Ordinal) is var w and >= 0 ? w + town.Ward.Length : 0, StringComparison.Ordinal);
            at.ShouldBeGreaterThanOrEqualTo(0, $"line {row.Line}: {written}");
            var numbers = written[(at + town.Name.Length)..];
            var expected = Numbers(register[$"千葉県千葉市{town.Ward}{town.Name}".Length..]);
            var context = $"line {row.Line}: {row.Address} / {register} {member[8]} ({string.Join(";", row.Cases)})";

            row.Has("banchi-town").ShouldBe(town.Banchi, context);
            (register.Contains("番地", StringComparison.Ordinal) && !register.Contains("丁目", StringComparison.Ordinal)).ShouldBe(town.Banchi, context);
            var room = row.Has("room-number") ? new string(member[8][..^2].Reverse().TakeWhile(char.IsAsciiDigit).Reverse().ToArray()) : null;
            Numbers(numbers).ShouldBe(room is null ? expected : [.. expected, int.Parse(room, System.Globalization.CultureInfo.InvariantCulture)], context);

            var form = row.Cases.Single(c => c.StartsWith("notation:", StringComparison.Ordinal))["notation:".Length..];
            switch (form)
            {
                case "kanji": numbers.Any(IsDigit).ShouldBeFalse(context); break;
                case "hyphen": numbers.IndexOfAny(['丁', '番', '号', 'の']).ShouldBe(-1, context); break;
                case "no": numbers.ShouldContain('の', context); break;
                case "chome-ban-go": (numbers.Contains("丁目", StringComparison.Ordinal) && numbers.EndsWith('号')).ShouldBeTrue(context); break;
                case "kanji-chome": (numbers.Contains("丁目", StringComparison.Ordinal) && numbers.Contains("番地", StringComparison.Ordinal) && !IsDigit(numbers[0])).ShouldBeTrue(context); break;
                case "banchi": (numbers.Contains("番地", StringComparison.Ordinal) && !numbers.Contains('丁')).ShouldBeTrue(context); break;
                case "ban-go": (numbers.EndsWith('号') && !numbers.Contains("番地", StringComparison.Ordinal)).ShouldBeTrue(context); break;
                default: throw new ShouldAssertException($"unknown notation {form}");
            }
            foreach (var dash in row.Cases.Where(c => c.StartsWith("dash:U+", StringComparison.Ordinal)))
                numbers.ShouldContain((char)Convert.ToInt32(dash[7..], 16), context);
            if (form == "hyphen" && !row.Cases.Any(c => c.StartsWith("dash:", StringComparison.Ordinal)) && Numbers(numbers).Count > 1) numbers.ShouldContain('－', context);
            row.Address.Any(char.IsAsciiDigit).ShouldBe(row.Has("digits:half-width"), context);

            var prefix = (row.Has("omitted:city") ? "" : row.Has("omitted:prefecture") ? "千葉市" : "千葉県千葉市")
                + (row.Has("omitted:ward") ? "" : town.Ward) + (row.Has("oaza") ? "大字" : "") + town.Name;
            written[..at].ShouldBe(prefix[..^town.Name.Length], context);

            // The 方書: on both sides, on one side only, or the room alone as a number.
            var onRegister = member[8].Length > 0;
            if (row.Has("suffix-one-side:register")) (onRegister, suffix).ShouldBe((true, null), context);
            else if (row.Has("suffix-one-side:jps")) (onRegister, suffix is null).ShouldBe((false, false), context);
            else if (row.Has("room-number")) (onRegister, suffix).ShouldBe((true, null), context);
            else (suffix is null ? "" : KanaWidth.ToFullWidthAscii(suffix)).ShouldBe(KanaWidth.ToFullWidthAscii(member[8]), context);
            checkedRows++;
        }
        checkedRows.ShouldBeGreaterThan(2_500);
    }

    [Fact]
    public void NumbersNone_ExactlyTheRowsWithoutANumberTheCityHasForTheirPerson()
    {
        var members = Members();
        var onFile = Rows().Where(r => r.Atena.Length > 0).ToList();
        foreach (var row in onFile)
        {
            var byNumber = row.Jps["個人番号"].Length > 0 || (row.Jps["基礎年金番号"].Length > 0 && row.Jps["基礎年金番号"] == members[row.Atena][1]);
            row.Has("numbers:none").ShouldBe(!byNumber, $"line {row.Line}");
        }
        onFile.Count(r => r.Has("numbers:none")).ShouldBeInRange(20, 200);
    }

    [Fact]
    public void Namesakes_SameNameKanaBirthAndSexAsSomeoneOnFile_LivingElsewhere_WithANumberOfTheirOwnOrNone()
    {
        var members = Members().Values.ToList();
        var pensionNumbers = members.Select(m => m[1]).Where(n => n.Length > 0).ToHashSet();
        var namesakes = Rows().Where(r => r.Has("namesake-not-on-file")).ToList();
        namesakes.Count.ShouldBeInRange(10, 60);
        foreach (var row in namesakes)
        {
            (row.Atena, row.ResidentAtena).ShouldBe(("", ""));
            row.Has("namesake-not-on-file:with-number").ShouldBe(row.Jps["基礎年金番号"].Length > 0);
            row.Has("namesake-not-on-file:no-number").ShouldBe(row.Jps["基礎年金番号"].Length == 0);
            if (row.Has("namesake-not-on-file:no-number")) row.Jps["個人番号"].ShouldBeEmpty();
            else pensionNumbers.ShouldNotContain(row.Jps["基礎年金番号"]);
            // Someone on file is born the same day, of the same sex, with the same name; they live elsewhere.
            var same = members.Where(m => m[4].Length == 8 && !m[4].EndsWith("00", StringComparison.Ordinal) && m[5] == row.Jps["性別"]
                && WarekiCodec.Jps.Format(DateOnly.ParseExact(m[4], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)) == row.Jps["生年月日"]
                && SameKana(m[3], row)).ToList();
            same.ShouldNotBeEmpty($"line {row.Line}");
        }
    }

    [Fact]
    public void MaidenNames_TheNameBeforeTheHistorys31()
    {
        var history = File.ReadAllLines(city.File(CityFiles.JukiHistoryFile)).Skip(1).Select(l => l.Split(',')).ToLookup(f => f[0]);
        var rows = Rows().Where(r => r.Has("maiden-name")).ToList();
        rows.Count.ShouldBeGreaterThan(20);
        foreach (var row in rows)
        {
            var person = history[row.Atena].DistinctBy(f => f[1]).OrderBy(f => int.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var change = person.FindIndex(f => f[2] == "31");
            change.ShouldBeGreaterThan(0, $"line {row.Line}");
            if (KanaOf(row) is not { } kana) continue;
            kana.ShouldBe(person[change - 1][9], $"line {row.Line}");
            kana.ShouldNotBe(person[change][9], $"line {row.Line}");
        }
    }

    [Fact]
    public void MovedOut_TheRegisterSaysTheyLeft_BeforeTheRowsWereFiled_SomeRowsWithWhereTheyWent()
    {
        var members = Members();
        var history = File.ReadAllLines(city.File(CityFiles.JukiHistoryFile)).Skip(1).Select(l => l.Split(',')).ToLookup(f => f[0]);
        var rows = Rows().Where(r => r.Has("moved-out")).ToList();
        rows.Count.ShouldBeGreaterThan(10);
        rows.ShouldContain(r => r.Has("moved-out:new-address"));
        rows.ShouldContain(r => !r.Has("moved-out:new-address"));
        foreach (var row in rows)
        {
            var member = members[row.Atena];
            member[9].ShouldBe("2");
            var left = DateOnly.ParseExact(member[10], "yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            WarekiCodec.Jps.Parse(row.Jps["受付年月日"]).Value.ShouldBeGreaterThan(left);
            var removal = history[row.Atena].Single(f => f[2] == "20");
            if (row.Has("moved-out:new-address")) row.Address.ShouldBe(removal[20]);
        }
    }

    [Fact]
    public void ForeignNames_EachMisspellingIsWhatItsCaseSays()
    {
        var members = Members();
        var foreign = Rows().Where(r => r.Atena.Length > 0 && r.Has("foreign")).ToList();
        foreach (var row in foreign)
        {
            var register = members[row.Atena][2].Split(' ');
            var written = ToAscii(row.Jps["漢字氏名"]).Split(' ');
            var context = $"line {row.Line}: {string.Join(' ', written)} / {string.Join(' ', register)} ({string.Join(";", row.Cases)})";
            var family = register[0];
            var given = register[1..].ToList();
            // Undo the order, then the dropped name: what is left differs from the register by the typo alone.
            var (writtenFamily, writtenGiven) = row.Has("alphabet-swapped") ? (written[^1], written[..^1].ToList()) : (written[0], written[1..].ToList());
            if (row.Has("alphabet-dropped-name"))
            {
                given.Count.ShouldBe(2, context);
                writtenGiven.Count.ShouldBe(1, context);
                given = [given.MinBy(g => Distance(g, writtenGiven[0]))!];
            }
            var differences = new[] { (First: family, Second: writtenFamily) }.Concat(given.Zip(writtenGiven)).Where(p => p.First != p.Second).ToList();
            if (row.Has("alphabet-typo"))
            {
                differences.Count.ShouldBe(1, context);
                Distance(differences[0].First, differences[0].Second).ShouldBe(1, context);
            }
            else differences.ShouldBeEmpty(context);
        }
        foreign.ShouldContain(r => r.Has("alphabet-typo") && !r.Has("alphabet-swapped"));
        foreign.ShouldContain(r => r.Has("alphabet-dropped-name"));

        // A kana typo: neither the register's reading nor its known variant.
        foreach (var row in foreign.Where(r => r.Has("kana-typo")))
        {
            var kana = KanaWidth.ToFullWidth(row.Jps["カナ氏名"]).Replace(' ', '　');
            kana.ShouldNotBe(members[row.Atena][3]);
        }
    }

    [Fact]
    public void Relatives_AreResidents_WhoseHistoryTheTruthNames()
    {
        var members = Members();
        var residents = File.ReadAllLines(city.File(CityFiles.JukiHistoryFile)).Skip(1).Select(l => l[..l.IndexOf(',')]).ToHashSet();
        var relatives = Rows().Where(r => r.Has("relative-not-on-file")).ToList();
        relatives.Count.ShouldBe(60);
        relatives.ShouldAllBe(r => r.Atena == "" && residents.Contains(r.ResidentAtena) && !members.ContainsKey(r.ResidentAtena));
        Rows().Where(r => !r.Has("relative-not-on-file")).ShouldAllBe(r => r.ResidentAtena == "");
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9' or >= '０' and <= '９';

    /// <summary>The numbers of an address's tail: digits of either width, kanji numerals (三十七, 千四百九十七).</summary>
    private static List<int> Numbers(string text)
    {
        const string kanjiDigits = "〇一二三四五六七八九";
        var numbers = new List<int>();
        for (var i = 0; i < text.Length;)
        {
            if (IsDigit(text[i]))
            {
                var n = 0;
                for (; i < text.Length && IsDigit(text[i]); i++) n = n * 10 + (text[i] >= '０' ? text[i] - '０' : text[i] - '0');
                numbers.Add(n);
            }
            else if (kanjiDigits.Contains(text[i], StringComparison.Ordinal) || text[i] is '十' or '百' or '千')
            {
                int value = 0, digit = 0;
                for (; i < text.Length; i++)
                {
                    var d = kanjiDigits.IndexOf(text[i], StringComparison.Ordinal);
                    if (d >= 0) digit = d;
                    else if (text[i] is '十' or '百' or '千')
                    {
                        value += (digit == 0 ? 1 : digit) * (text[i] == '十' ? 10 : text[i] == '百' ? 100 : 1000);
                        digit = 0;
                    }
                    else break;
                }
                numbers.Add(value + digit);
            }
            else i++;
        }
        return numbers;
    }

    /// <summary>The row's kana as the register writes kana; null when JPS's spelling drift (small kana, long vowels …, which the truth names) changed it.</summary>
    private static string? KanaOf(Row row) =>
        row.Has("small-kana") || row.Has("long-vowel") || row.Has("kana-variant") || row.Has("kana-typo") ? null
            : KanaWidth.ToFullWidth(row.Jps["カナ氏名"]).Replace(' ', '　');

    private static bool SameKana(string registerKana, Row row) => KanaOf(row) is not { } kana || kana == registerKana;

    private static string ToAscii(string text) => new(text.Select(c => c switch { '\u3000' => ' ', >= '！' and <= '～' => (char)(c - 0xFF00 + 0x20), _ => c }).ToArray());

    /// <summary>Edits between two words, a transposition of neighbours counting one (NGUYEN/NGUEYN, NGUYN, NGUYENN: 1).</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
