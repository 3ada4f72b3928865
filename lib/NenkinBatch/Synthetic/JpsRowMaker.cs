using System.Globalization;
using System.Text;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Text;
using NenkinBatch.Formats;

namespace NenkinBatch.Synthetic;

/// <summary>A generated row and what is true about it.</summary>
public sealed record GeneratedRow(IReadOnlyDictionary<string, string> Fields, string? TruthAtena, IReadOnlyList<string> Cases)
{
    /// <summary>A row about a resident not on the 国民年金 file (a relative): their 宛名番号 in the 住基 history.</summary>
    public string? ResidentAtena { get; init; }
}

/// <summary>
/// Writes what JPS would send back about a person: JIS X 0208 names (〓 or the folded form for what it
/// cannot write), half-width kana with the usual spelling drift, era dates, its own address forms, and
/// the slips a real list has — each slip recorded in the truth so that accuracy can be measured.
/// A row draws from two generators: the list's own (<c>random</c>: what every seed has always drawn, in the same order, so
/// the rows stay as they were) and the row's own (<c>slips</c>: the slips added since, see <see cref="SplitMix.For"/>).
/// </summary>
public sealed class JpsRowMaker(CityOptions options, Vocabulary vocabulary)
{
    /// <summary>The dashes a CP932 list can carry besides －: ‐ (U+2010), ― (U+2015, JIS's —), ー (U+30FC), ｰ (U+FF70, half-width).</summary>
    private static readonly char[] OtherDashes = ['‐', '―', 'ー', 'ｰ'];

    /// <summary>The three forms most rows have, by the list's own draw: for a town with 丁目, and for a 番地 town.</summary>
    private static readonly NumberForm[] ChomeForms = [NumberForm.ChomeBanGo, NumberForm.Hyphen, NumberForm.KanjiChome];
    private static readonly NumberForm[] BanchiForms = [NumberForm.Banchi, NumberForm.Hyphen, NumberForm.BanGo];
    private static readonly string[] Filings = ["01", "01", "01", "02", "02", "03", "04", "05", "11", "11", "11", "12", "12", "21", "22", "31"];
    private static readonly (string Code, string Text)[] ReturnReasons =
        [("E101", "記載事項不備"), ("E204", "添付書類不足"), ("E310", "基礎年金番号不一致"), ("E402", "本人確認書類不備")];

    public GeneratedRow About(SplitMix random, SplitMix slips, SyntheticPerson person, string? truth, List<string> cases, string? pensionNumberOverride = null)
    {
        var filing = random.Pick(Filings);
        var received = options.AsOf.AddDays(-random.Between(10, 60));
        var processed = received.AddDays(random.Between(1, 9));
        var result = random.Chance(options.ReturnedRate) ? "1" : random.Chance(options.PendingRate) ? "2" : "0";
        if (result == "1") cases.Add("returned");

        var pension = pensionNumberOverride ?? person.BasicPensionNumber;
        if (random.Chance(options.JpsMissingPensionNumberRate)) { pension = ""; cases.Add("jps-no-pension-number"); }
        if (!person.CityHasPensionNumber && person.OnFile) cases.Add("city-no-pension-number");

        var birth = person.BirthDate;
        if (person.BirthUnknownCompact is not null) cases.Add("birth-unknown-in-register");
        if (random.Chance(options.BirthTypoRate))
        {
            birth = birth.Day < 28 ? birth.AddDays(1) : birth.AddDays(-1);
            cases.Add("birth-typo");
        }

        // The name before a 31 氏名変更, which JPS may still have.
        var maiden = person.MaidenSurname is { } m && slips.Chance(options.MaidenNameRowRate) ? m : null;
        if (maiden is not null) cases.Add("maiden-name");

        var address = person.Address;
        var atOldAddress = person.OldAddress is not null && random.Chance(0.8);
        var style = random.Next(3);
        var prefecture = random.Chance(0.5);
        var city = random.Chance(0.7);
        var withSuffix = person.AddressSuffix is not null && random.Chance(options.JpsSuffixRate);
        string written, postalCode;
        if (person.MovedOutOn is not null) cases.Add("moved-out");
        if (person.MovedOutTo is { } elsewhere && slips.Chance(options.MovedOutNewAddressRate))
        {
            // JPS heard of the 転出 (J-LIS tells it): the address is where the person went.
            (written, postalCode) = (elsewhere.Address, elsewhere.PostalCode);
            cases.Add("moved-out:new-address");
        }
        else
        {
            if (atOldAddress)
            {
                address = person.OldAddress!;
                cases.Add("old-address");
                cases.Add(person.OldAddressInHistory ? "old-address:history" : "old-address:no-history");
            }
            written = WriteAddress(slips, address, style, prefecture, city, person.AddressSuffix, withSuffix, cases);
            postalCode = address.Town.PostalCode;
        }
        if (written.Length > 60) written = written[..60];

        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["municipality_code"] = options.MunicipalityCode,
            ["filing_code"] = filing,
            ["received_on"] = WarekiCodec.Jps.Format(received),
            ["processed_on"] = WarekiCodec.Jps.Format(processed),
            ["basic_pension_number"] = pension,
            ["kana_name"] = KanaName(random, slips, person, maiden, cases),
            ["kanji_name"] = KanjiName(random, slips, person, maiden, cases),
            ["birth_date"] = WarekiCodec.Jps.Format(birth),
            ["sex"] = person.Sex.ToString(CultureInfo.InvariantCulture),
            ["postal_code"] = postalCode,
            ["address"] = written,
            ["insured_category"] = "",
            ["acquired_on"] = "",
            ["acquisition_reason"] = "",
            ["lost_on"] = "",
            ["loss_reason"] = "",
            ["result"] = result,
            ["error_code"] = "",
            ["error_text"] = "",
            ["individual_number"] = person.IndividualNumber is { } number && random.Chance(options.JpsIndividualNumberRate) ? number : "",
        };
        var period = person.Periods.Count > 0 ? person.Periods[^1] : null;
        if (filing == "01")
        {
            fields["insured_category"] = "1";
            fields["acquired_on"] = WarekiCodec.Jps.Format(period?.AcquiredOn ?? received.AddDays(-20));
            fields["acquisition_reason"] = period?.AcquisitionReason ?? "02";
        }
        else if (filing == "02")
        {
            fields["insured_category"] = "1";
            fields["lost_on"] = WarekiCodec.Jps.Format(period?.LostOn ?? received.AddDays(-15));
            fields["loss_reason"] = period?.LossReason ?? "14";
        }
        if (result == "1")
        {
            var reason = random.Pick(ReturnReasons);
            fields["error_code"] = reason.Code;
            fields["error_text"] = reason.Text;
        }
        // Nothing but the 4情報 to find the person by: neither number of the row is one the city has for them.
        if (truth is not null && !(person.CityHasPensionNumber && fields["basic_pension_number"] == person.BasicPensionNumber) && fields["individual_number"].Length == 0)
            cases.Add("numbers:none");
        return new GeneratedRow(fields, truth, cases);
    }

    private string KanjiName(SplitMix random, SplitMix slips, SyntheticPerson person, Surname? maiden, List<string> cases)
    {
        if (person.IsForeign)
        {
            cases.Add("foreign");
            var (family, first) = (person.ForeignFamily!.Alphabet, person.ForeignGiven!.Alphabet);
            var swapped = random.Chance(options.AlphabetSwappedRate);
            if (swapped) cases.Add("alphabet-swapped");
            // A clerk's slips: one of two given names left out, a letter transposed, dropped or doubled.
            if (first.Contains(' ', StringComparison.Ordinal) && slips.Chance(options.AlphabetDroppedNameRate))
            {
                var names = first.Split(' ');
                var dropped = slips.Next(names.Length);
                first = string.Join(' ', names.Where((_, i) => i != dropped));
                cases.Add("alphabet-dropped-name");
            }
            if (slips.Chance(options.AlphabetTypoRate))
            {
                var inFamily = slips.Chance(0.5);
                var (typo, kind) = AlphabetTypo(slips, inFamily ? family : first);
                if (inFamily) family = typo;
                else first = typo;
                cases.Add("alphabet-typo");
                cases.Add($"alphabet-typo:{kind}");
            }
            var name = swapped ? $"{first} {family}" : $"{family} {first}";
            return KanaWidth.ToFullWidthAscii(name.Length > 20 ? name[..20] : name);
        }
        var surname = new StringBuilder();
        // JPS writes JIS X 0208 only: a character of the register it cannot write becomes 〓, or its everyday form.
        var register = person.Surname.Register.EnumerateRunes().Where(r => r.Value is < 0xE0100 or > 0xE01EF).Select(r => r.ToString()).ToList();
        var jps = person.Surname.Jps.EnumerateRunes().Select(r => r.ToString()).ToList();
        var geta = register.Count == jps.Count && random.Chance(options.GetaRate);
        for (var i = 0; i < jps.Count; i++)
        {
            var differs = i < register.Count && register[i] != jps[i];
            surname.Append(differs && geta ? "〓" : jps[i]);
        }
        if (maiden is not null)
        {
            // Written with the name before the 31 (as JPS writes it); the draws above were still taken.
            surname.Clear().Append(maiden.Jps);
        }
        else if (person.Surname.Register != person.Surname.Jps) cases.Add(geta && surname.ToString().Contains('〓', StringComparison.Ordinal) ? "geta" : "variant-folded");
        var given = person.Given.Kanji;
        if (random.Chance(options.HomophoneRate)
            && vocabulary.Homophones.TryGetValue(person.Given.Kana, out var same) && same.Count > 1)
        {
            given = same.First(k => k != person.Given.Kanji);
            cases.Add("homophone");
        }
        return $"{surname}\u3000{given}";
    }

    private string KanaName(SplitMix random, SplitMix slips, SyntheticPerson person, Surname? maiden, List<string> cases)
    {
        string kana;
        if (person.IsForeign)
        {
            var family = random.Chance(options.KanaVariantRate) ? person.ForeignFamily!.KanaVariant : person.ForeignFamily!.Kana;
            var given = random.Chance(options.KanaVariantRate) ? person.ForeignGiven!.KanaVariant : person.ForeignGiven!.Kana;
            if (family != person.ForeignFamily.Kana || given != person.ForeignGiven.Kana) cases.Add("kana-variant");
            kana = $"{family} {given}";
            if (slips.Chance(options.KanaTypoRate) && KanaTypo(slips, kana, person) is { } typo)
            {
                kana = typo;
                cases.Add("kana-typo");
            }
        }
        else kana = $"{(maiden ?? person.Surname).Kana} {person.Given.Kana}";

        if (random.Chance(options.SmallKanaRate) && kana.IndexOfAny(['ャ', 'ュ', 'ョ', 'ッ']) >= 0)
        {
            kana = kana.Replace('ャ', 'ヤ').Replace('ュ', 'ユ').Replace('ョ', 'ヨ').Replace('ッ', 'ツ');
            cases.Add("small-kana");
        }
        if (random.Chance(options.LongVowelRate))
        {
            var longer = LongVowel(kana);
            if (longer != kana) { kana = longer; cases.Add("long-vowel"); }
        }
        return KanaWidth.ToHalfWidth(kana);
    }

    /// <summary>
    /// The address as the row writes it, and its cases: the form of the numbers (the list's own draw among the three
    /// common ones, or kanji numerals, or の), the dash, the digits' width, what is left out before the town, 大字, a room
    /// as one more number, a 方書 on one side only.
    /// </summary>
    private string WriteAddress(SplitMix slips, SyntheticAddress address, int style, bool prefecture, bool city, string? registerSuffix, bool withSuffix,
        List<string> cases)
    {
        var halfWidth = slips.Chance(options.HalfWidthDigitsRate);
        var form = slips.Chance(options.KanjiNumeralRate) ? NumberForm.Kanji
            : slips.Chance(options.NoNotationRate) ? NumberForm.No
            : (address.IsBanchi ? BanchiForms : ChomeForms)[style];
        // A 番地 without 枝番 has nothing to join: の and 番…号 are written 番地.
        if (address.IsBanchi && address.Go == 0 && form is NumberForm.No or NumberForm.BanGo) form = NumberForm.Banchi;
        var dashed = form == NumberForm.Hyphen && (!address.IsBanchi || address.Go > 0);
        int? room = null;
        if (form == NumberForm.Hyphen && registerSuffix is not null && RoomOf(registerSuffix) is { } number && slips.Chance(options.RoomNumberRate))
        {
            room = number;
            dashed = true;
            withSuffix = false;
            cases.Add("room-number");
        }
        var dash = halfWidth ? '-' : '－';
        if (dashed && slips.Chance(options.DashVariantRate)) dash = slips.Pick(OtherDashes);
        var ward = !address.IsBanchi || !slips.Chance(options.WardOmittedRate);
        var oaza = address.IsBanchi && slips.Chance(options.OazaRate);
        var written = address.Write(new AddressNotation
        {
            Form = form, Prefecture = prefecture, City = city, Ward = ward, Oaza = oaza, Dash = dash, HalfWidthDigits = halfWidth, Room = room,
        });

        if (address.IsBanchi) cases.Add("banchi-town");
        cases.Add($"notation:{form.CaseName()}");
        if (dashed && dash != '－') cases.Add($"dash:U+{(int)dash:X4}");
        if (!prefecture) cases.Add(city ? "omitted:prefecture" : "omitted:city");
        if (!ward) cases.Add("omitted:ward");
        if (oaza) cases.Add("oaza");

        string Width(string text) => halfWidth ? text : KanaWidth.ToFullWidthAscii(text);
        if (registerSuffix is not null && withSuffix) written += "\u3000" + Width(registerSuffix);
        else if (registerSuffix is not null && room is null) cases.AddRange(["suffix-one-side", "suffix-one-side:register"]);
        else if (registerSuffix is null && slips.Chance(options.JpsOnlySuffixRate))
        {
            written += "\u3000" + Width($"{address.Town.Name}{slips.Pick(vocabulary.Buildings)}{slips.Between(1, 9)}0{slips.Between(1, 9)}号室");
            cases.AddRange(["suffix-one-side", "suffix-one-side:jps"]);
        }
        if (halfWidth && written.Any(char.IsAsciiDigit)) cases.Add("digits:half-width");
        return written;
    }

    /// <summary>The room of a 方書 (コーポ新宿305号室 → 305).</summary>
    private static int? RoomOf(string suffix)
    {
        if (!suffix.EndsWith("号室", StringComparison.Ordinal)) return null;
        var end = suffix.Length - 2;
        var start = end;
        while (start > 0 && char.IsAsciiDigit(suffix[start - 1])) start--;
        return start < end ? int.Parse(suffix.AsSpan(start, end - start), CultureInfo.InvariantCulture) : null;
    }

    /// <summary>One letter of a name transposed with the next, dropped or doubled (NGUYEN: NGUEYN, NGUYN, NGUYENN).</summary>
    private static (string Name, string Kind) AlphabetTypo(SplitMix random, string name)
    {
        var words = name.Split(' ');
        var w = random.Next(words.Length);
        var word = words[w];
        var kinds = new List<string> { "doubled-letter" };
        if (word.Length >= 3) kinds.Add("dropped-letter");
        var transposable = Enumerable.Range(0, Math.Max(0, word.Length - 1)).Where(i => word[i] != word[i + 1]).ToList();
        if (transposable.Count > 0) kinds.Add("transposed");
        var kind = random.Pick(kinds);
        switch (kind)
        {
            case "transposed":
            {
                var i = random.Pick(transposable);
                word = string.Concat(word.AsSpan(0, i), word.AsSpan(i + 1, 1), word.AsSpan(i, 1), word.AsSpan(i + 2));
                break;
            }
            case "dropped-letter":
                word = word.Remove(random.Next(word.Length), 1);
                break;
            default:
            {
                var i = random.Next(word.Length);
                word = word.Insert(i, word[i].ToString());
                break;
            }
        }
        words[w] = word;
        return (string.Join(' ', words), kind);
    }

    /// <summary>Slips of a foreign reading beyond its known variants: a vowel written small or full size, ヴ for バ行 and back, a long vowel added or left out.</summary>
    private static readonly (string From, string To)[] KanaSlips =
    [
        ("ァ", "ア"), ("ィ", "イ"), ("ゥ", "ウ"), ("ェ", "エ"), ("ォ", "オ"),
        ("ヴァ", "バ"), ("ヴィ", "ビ"), ("ヴェ", "ベ"), ("ヴォ", "ボ"), ("ヴ", "ブ"),
        ("バ", "ヴァ"), ("ビ", "ヴィ"), ("ベ", "ヴェ"), ("ボ", "ヴォ"), ("ブ", "ヴ"),
        ("ン", "ーン"), ("ー", ""),
    ];

    /// <summary>Kana after which a vowel is not written small (a vowel, ン, ー, a small kana): イ of LEE stays イ.</summary>
    private const string NoSmallVowelAfter = "アイウエオァィゥェォャュョッンー ";

    private static string? KanaTypo(SplitMix random, string kana, SyntheticPerson person)
    {
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            kana,
            $"{person.ForeignFamily!.Kana} {person.ForeignGiven!.Kana}", $"{person.ForeignFamily.KanaVariant} {person.ForeignGiven.KanaVariant}",
            $"{person.ForeignFamily.Kana} {person.ForeignGiven.KanaVariant}", $"{person.ForeignFamily.KanaVariant} {person.ForeignGiven.Kana}",
        };
        var candidates = new List<string>();
        for (var i = 0; i < kana.Length; i++)
        {
            // A full-size vowel after a consonant's kana written small (グエン → グェン).
            var small = "アイウエオ".IndexOf(kana[i], StringComparison.Ordinal);
            if (small >= 0 && i > 0 && NoSmallVowelAfter.IndexOf(kana[i - 1], StringComparison.Ordinal) < 0)
                candidates.Add(string.Concat(kana.AsSpan(0, i), "ァィゥェォ".AsSpan(small, 1), kana.AsSpan(i + 1)));
            foreach (var (from, to) in KanaSlips)
            {
                if (string.CompareOrdinal(kana, i, from, 0, from.Length) != 0) continue;
                if (from == "ン" && (i == 0 || kana[i - 1] is 'ー' or 'ン' or ' ')) continue;
                candidates.Add(string.Concat(kana.AsSpan(0, i), to, kana.AsSpan(i + from.Length)));
            }
        }
        candidates.RemoveAll(known.Contains);
        return candidates.Count == 0 ? null : random.Pick(candidates);
    }

    /// <summary>
    /// Someone else with the person's name, kana, birth date and sex, who never lived in the city: another address, and a
    /// 基礎年金番号 and 個人番号 of their own, or none.
    /// </summary>
    public SyntheticPerson Namesake(SplitMix random, SyntheticPerson person, int index, Households households, bool withNumber)
    {
        SyntheticAddress address;
        do address = households.NewAddress(random);
        while (address == person.Address || address == person.OldAddress);
        return new SyntheticPerson
        {
            Index = index,
            AtenaNumber = "",
            HouseholdNumber = "",
            Relationship = "",
            Surname = person.Surname,
            Given = person.Given,
            ForeignFamily = person.ForeignFamily,
            ForeignGiven = person.ForeignGiven,
            BirthDate = person.BirthDate,
            Sex = person.Sex,
            Address = address,
            BasicPensionNumber = withNumber ? Households.PensionNumber(index) : "",
            CityHasPensionNumber = false,
            IndividualNumber = withNumber ? Households.IndividualNumberOf(index) : null,
            OnFile = false,
            HistoryLength = 1,
        };
    }

    /// <summary>オ段/ウ段 + ウ written as a long vowel (ユウコ → ユーコ, ショウタ → ショータ).</summary>
    private static string LongVowel(string kana)
    {
        const string uo = "ウクスツヌフムユルグズヅブプュオコソトノホモヨロヲゴゾドボポョ";
        var builder = new StringBuilder(kana.Length);
        for (var i = 0; i < kana.Length; i++)
        {
            if (kana[i] == 'ウ' && i > 0 && uo.Contains(kana[i - 1], StringComparison.Ordinal)) builder.Append('ー');
            else builder.Append(kana[i]);
        }
        return builder.ToString();
    }

    /// <summary>Someone the city does not know at all: a person of another town who filed here.</summary>
    public SyntheticPerson Stranger(SplitMix random, int index, Households households)
    {
        var sex = random.Chance(0.5) ? 1 : 2;
        return new SyntheticPerson
        {
            Index = index,
            AtenaNumber = "",
            HouseholdNumber = "",
            Relationship = "",
            Surname = vocabulary.Surnames.Draw(random),
            Given = (sex == 1 ? vocabulary.MaleNames : vocabulary.FemaleNames).Draw(random),
            BirthDate = options.AsOf.AddYears(-random.Between(20, 59)).AddDays(-random.Between(1, 364)),
            Sex = sex,
            Address = households.NewAddress(random),
            BasicPensionNumber = Households.PensionNumber(index),
            CityHasPensionNumber = false,
            IndividualNumber = Households.IndividualNumberOf(index),
            OnFile = false,
            HistoryLength = 1,
        };
    }
}
