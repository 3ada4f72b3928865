using System.Globalization;
using NenkinBatch.Domain;

namespace NenkinBatch.Synthetic;

/// <summary>
/// Makes the 住基 change extract: each change a full snapshot of the person after it, numbered by the
/// person's 履歴番号. The person object is changed too, so a second change builds on the first.
/// </summary>
public sealed class JukiChangeMaker(CityOptions options, Vocabulary vocabulary, Households households)
{
    private static readonly (string Code, int Weight)[] Kinds =
        [("30", 40), ("31", 8), ("20", 20), ("21", 3), ("22", 10), ("32", 7), ("33", 7), ("35", 5)];

    public GeneratedRow Change(SplitMix random, SyntheticPerson person, bool onFileBefore)
    {
        var total = Kinds.Sum(k => k.Weight);
        var draw = random.Next(total);
        var code = Kinds.First(k => (draw -= k.Weight) < 0).Code;
        var status = 1;
        string? movedTo = null;
        DateOnly? removed = null;
        var changed = options.AsOf.AddDays(-random.Between(3, 40));
        var householdNumber = person.HouseholdNumber;
        var block = false;
        switch (code)
        {
            case "30": person.Address = households.NewAddress(random); person.AddressSuffix = null; break;
            case "31": person.Surname = vocabulary.Surnames.Draw(random); break;
            case "20": status = 2; movedTo = "東京都中野区中野四丁目8番1号"; removed = changed; break;
            case "21": status = 2; movedTo = random.Pick(["アメリカ合衆国", "ベトナム社会主義共和国", "ブラジル連邦共和国"]); removed = changed; break;
            case "22": status = 3; removed = changed; break;
            case "32": householdNumber = AtenaNumber.WithCheckDigit((700000000 + person.Index).ToString("D9", CultureInfo.InvariantCulture)); break;
            case "33": person.AddressSuffix = person.AddressSuffix is null ? "別棟" : null; break;
            case "35": block = true; break;
        }
        return Snapshot(random, person, code, changed, status, movedTo, removed, householdNumber, block, onFileBefore ? person.AtenaNumber : null);
    }

    /// <summary>A newcomer's 国内転入: the first snapshot of a person the city's pension file cannot know yet.</summary>
    public GeneratedRow TransferIn(SplitMix random, SyntheticPerson person)
    {
        var changed = options.AsOf.AddDays(-random.Between(3, 40));
        person.HistoryNumber = 0;
        return Snapshot(random, person, "10", changed, 1, null, null, person.HouseholdNumber, false, null);
    }

    private GeneratedRow Snapshot(SplitMix random, SyntheticPerson person, string code, DateOnly changed, int status, string? movedTo, DateOnly? removed,
        string householdNumber, bool block, string? truth)
    {
        person.HistoryNumber++;
        var notified = changed.AddDays(random.Between(0, 2));
        var processed = notified.AddDays(random.Between(0, 1));
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["atena_number"] = person.AtenaNumber,
            ["history_number"] = person.HistoryNumber.ToString(CultureInfo.InvariantCulture),
            ["change_reason"] = code,
            ["changed_on"] = Compact(changed),
            ["notified_on"] = code is "33" ? "" : Compact(notified),
            ["processed_on"] = Compact(processed),
            ["household_number"] = householdNumber,
            ["relationship"] = person.Relationship,
            ["name"] = person.RegisterName,
            ["name_kana"] = person.RegisterKana,
            ["common_name"] = person.IsForeign && random.Chance(0.3) ? $"{person.Surname.Register}　{person.Given.Kanji}" : "",
            ["birth_date"] = person.BirthCompact,
            ["birth_date_unknown"] = person.BirthUnknownText ?? "",
            ["sex"] = person.Sex.ToString(CultureInfo.InvariantCulture),
            ["resident_kind"] = person.IsForeign ? "2" : "1",
            ["resident_status"] = status.ToString(CultureInfo.InvariantCulture),
            ["postal_code"] = person.Address.Town.PostalCode,
            ["address"] = person.Address.Register,
            ["address_suffix"] = person.AddressSuffix ?? "",
            ["became_resident_on"] = code == "10" ? Compact(changed) : "",
            ["moved_out_to"] = movedTo ?? "",
            ["removed_on"] = removed is { } r ? Compact(r) : "",
            ["individual_number"] = person.IndividualNumber ?? "",
            ["disclosure_block"] = block ? "1" : "0",
            ["nationality"] = person.IsForeign ? person.ForeignFamily!.Nationality : "",
            ["municipality_code"] = options.MunicipalityCode,
        };
        return new GeneratedRow(fields, truth, [code == "10" ? "transfer-in" : $"change-{code}"]);
    }

    private static string Compact(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
