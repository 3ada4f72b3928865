using System.Globalization;
using System.Text;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Text;
using NenkinBatch.Formats;

namespace NenkinBatch.Synthetic;

/// <summary>A generated row and what is true about it.</summary>
public sealed record GeneratedRow(IReadOnlyDictionary<string, string> Fields, string? TruthAtena, IReadOnlyList<string> Cases);

/// <summary>
/// Writes what JPS would send back about a person: JIS X 0208 names (〓 or the folded form for what it
/// cannot write), half-width kana with the usual spelling drift, era dates, its own address forms, and
/// the slips a real list has — each slip recorded in the truth so that accuracy can be measured.
/// </summary>
public sealed class JpsRowMaker(CityOptions options, Vocabulary vocabulary)
{
    private static readonly string[] Filings = ["01", "01", "01", "02", "02", "03", "04", "05", "11", "11", "11", "12", "12", "21", "22", "31"];
    private static readonly (string Code, string Text)[] ReturnReasons =
        [("E101", "記載事項不備"), ("E204", "添付書類不足"), ("E310", "基礎年金番号不一致"), ("E402", "本人確認書類不備")];

    public GeneratedRow About(SplitMix random, SyntheticPerson person, string? truth, List<string> cases, string? pensionNumberOverride = null)
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

        var address = person.Address;
        if (person.OldAddress is { } old && random.Chance(0.8)) { address = old; cases.Add("old-address"); }
        var style = (NumberStyle)random.Next(3);
        var written = address.Write(style, prefecture: random.Chance(0.5), city: random.Chance(0.7));
        if (person.AddressSuffix is { } suffix && random.Chance(0.5)) written += "\u3000" + KanaWidth.ToFullWidthAscii(suffix);
        if (written.Length > 60) written = written[..60];

        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["municipality_code"] = options.MunicipalityCode,
            ["filing_code"] = filing,
            ["received_on"] = WarekiCodec.Jps.Format(received),
            ["processed_on"] = WarekiCodec.Jps.Format(processed),
            ["basic_pension_number"] = pension,
            ["kana_name"] = KanaName(random, person, cases),
            ["kanji_name"] = KanjiName(random, person, cases),
            ["birth_date"] = WarekiCodec.Jps.Format(birth),
            ["sex"] = person.Sex.ToString(CultureInfo.InvariantCulture),
            ["postal_code"] = address.Town.PostalCode,
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
        return new GeneratedRow(fields, truth, cases);
    }

    private string KanjiName(SplitMix random, SyntheticPerson person, List<string> cases)
    {
        if (person.IsForeign)
        {
            cases.Add("foreign");
            var (family, first) = (person.ForeignFamily!.Alphabet, person.ForeignGiven!.Alphabet);
            var swapped = random.Chance(0.3);
            if (swapped) cases.Add("alphabet-order-swapped");
            return KanaWidth.ToFullWidthAscii(swapped ? $"{first} {family}" : $"{family} {first}");
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
        if (person.Surname.Register != person.Surname.Jps) cases.Add(geta && surname.ToString().Contains('〓', StringComparison.Ordinal) ? "geta" : "variant-folded");
        var given = person.Given.Kanji;
        if (random.Chance(options.HomophoneRate)
            && vocabulary.Homophones.TryGetValue(person.Given.Kana, out var same) && same.Count > 1)
        {
            given = same.First(k => k != person.Given.Kanji);
            cases.Add("homophone");
        }
        return $"{surname}\u3000{given}";
    }

    private string KanaName(SplitMix random, SyntheticPerson person, List<string> cases)
    {
        string kana;
        if (person.IsForeign)
        {
            var family = random.Chance(options.KanaVariantRate) ? person.ForeignFamily!.KanaVariant : person.ForeignFamily!.Kana;
            var given = random.Chance(options.KanaVariantRate) ? person.ForeignGiven!.KanaVariant : person.ForeignGiven!.Kana;
            if (family != person.ForeignFamily.Kana || given != person.ForeignGiven.Kana) cases.Add("kana-variant");
            kana = $"{family} {given}";
        }
        else kana = $"{person.Surname.Kana} {person.Given.Kana}";

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
