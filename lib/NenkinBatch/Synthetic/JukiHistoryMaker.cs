using System.Globalization;
using NenkinBatch.Domain;

namespace NenkinBatch.Synthetic;

/// <summary>What a case asks of a resident's history (juki-history.csv).</summary>
public sealed record HistoryDemand
{
    public static readonly HistoryDemand None = new();

    /// <summary>At least this many rows.</summary>
    public int MinLength { get; init; }
    /// <summary>A 35 支援措置 among the changes: the person is under 支援措置 now.</summary>
    public bool Support { get; init; }
    /// <summary>The last change is this one (a mover's 30, a 34).</summary>
    public string? LastReason { get; init; }
    /// <summary>The last row is processed on this day.</summary>
    public DateOnly? LastProcessedOn { get; init; }
    /// <summary>The first row is a 転入 on this day.</summary>
    public DateOnly? EntryOn { get; init; }
    /// <summary>The last change's 異動日 is before the one before it.</summary>
    public bool BackDatedLast { get; init; }
}

/// <summary>
/// Tells a resident's story in the register, as the initial full history extract holds it: 履歴番号 1 is the 出生 or 転入,
/// later rows each a full snapshot after one change, the last snapshot the person as they are now (for people on the
/// 国民年金 file, what members.csv says). The story is built backwards from now, so the end is right by construction.
/// </summary>
public sealed class JukiHistoryMaker(CityOptions options, Vocabulary vocabulary)
{
    /// <summary>A 34 個人番号変更 before the numbers existed would be an anachronism; such a change is a 33 instead.</summary>
    private static readonly DateOnly NumbersExist = new(2016, 1, 1);

    /// <summary>Where earlier 個人番号 come from: indexes far past any resident's, so no one else holds them.</summary>
    public const int FormerNumberOffset = 500_000_000;

    /// <returns>The rows, 履歴番号 1 first; <paramref name="now"/> is the last snapshot, which the deltas continue from.</returns>
    public List<JukiRow> History(SplitMix random, SyntheticPerson person, HistoryDemand demand, out JukiSnapshot now)
    {
        var yesterday = options.AsOf.AddDays(-1);
        // Someone who left the city: the 20 転出 is the last row, processed a few days after the day they left.
        var movedOut = person.MovedOutOn is { } left ? left.AddDays(random.Between(0, 3)) : (DateOnly?)null;
        var lastDay = demand.LastProcessedOn ?? movedOut ?? yesterday;
        var commonName = person.IsForeign && random.Chance(0.3) ? $"{person.Surname.Register}　{person.Given.Kanji}" : null;

        // The changes after the first row, each one that explains something about the person now. A mover whose move came
        // before the history begins has no 転居 from the old address: their history starts where they live.
        var changes = new List<string>();
        if (person.OldAddress is not null && person.OldAddressInHistory) changes.Add("30");
        if (person.MaidenSurname is not null) changes.Add("31");
        if (demand.Support || random.Chance(options.HistorySupportRate)) changes.Add("35");
        if (person.IndividualNumber is not null && (demand.LastReason == "34" || random.Chance(options.NumberChangeRate))) changes.Add("34");
        var ending = movedOut is null ? 0 : 1;
        var length = Math.Max(Math.Max(person.HistoryLength, demand.MinLength), changes.Count + 1 + ending);
        // The rest: 世帯変更, 職権修正, and for people who did not move since JPS last heard of them, older moves within the city.
        while (changes.Count < length - 1 - ending)
            changes.Add(random.NextDouble() switch { < 0.3 when person.OldAddress is null => "30", < 0.65 => "32", _ => "33" });
        for (var i = changes.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (changes[i], changes[j]) = (changes[j], changes[i]);
        }
        if (demand.LastReason is { } lastReason && changes.IndexOf(lastReason) is var at and >= 0)
            (changes[at], changes[^1]) = (changes[^1], changes[at]);
        if (movedOut is not null) changes.Add("20");

        // 履歴番号 1: born here, or moved in (from abroad, for some foreign residents).
        string entryReason;
        DateOnly entryChanged;
        if (demand.EntryOn is { } entryOn)
        {
            entryReason = person.IsForeign && random.Chance(options.ForeignFromAbroadRate) ? "11" : "10";
            entryChanged = entryOn;
        }
        else if (!person.IsForeign && random.Chance(options.BornHereRate))
        {
            entryReason = "12";
            entryChanged = person.BirthDate;
        }
        else
        {
            entryReason = person.IsForeign && random.Chance(options.ForeignFromAbroadRate) ? "11" : "10";
            var recent = random.Chance(options.RecentEntryRate) && movedOut is null;
            var from = Later(person.BirthDate, recent ? options.AsOf.AddDays(-90) : options.AsOf.AddYears(-50));
            var to = Earlier(lastDay, recent ? options.AsOf.AddDays(-10) : options.AsOf.AddDays(-120));
            entryChanged = Day(random, from, to);
        }
        if (entryReason != "12" && !person.HasOpenQualification)
            entryChanged = AwayFromAgeBoundary(person.BirthCompact, entryChanged, person.BirthDate);
        var entryNotified = Earlier(entryChanged.AddDays(random.Between(0, 13)), lastDay);
        var entryProcessed = changes.Count == 0 && demand.LastProcessedOn is not null ? lastDay : Earlier(entryNotified.AddDays(random.Between(0, 1)), lastDay);

        // 処理日 runs with 履歴番号 (the register numbers changes as it processes them); 異動日 does not: some are back-dated.
        var processed = new DateOnly[changes.Count];
        for (var i = 0; i < processed.Length; i++) processed[i] = Day(random, entryProcessed, lastDay);
        Array.Sort(processed);
        if (processed.Length > 0)
        {
            if (demand.LastProcessedOn is not null || movedOut is not null) processed[^1] = lastDay;
            else if (demand.LastReason == "34") processed[^1] = Day(random, Later(processed[^1], NumbersExist), lastDay);
            else if (random.Chance(options.RecentChangeRate)) processed[^1] = Day(random, Later(processed[^1], options.AsOf.AddDays(-120)), lastDay);
        }
        var changed = new DateOnly[changes.Count];
        for (var i = 0; i < changed.Length; i++)
        {
            if (changes[i] == "34" && processed[i] < NumbersExist) changes[i] = "33";
            var back = random.Chance(options.BackDatedRate) ? random.Between(30, 240) : random.Between(0, 3);
            changed[i] = Later(processed[i].AddDays(-back), entryChanged);
        }
        if (demand.BackDatedLast && changed.Length >= 2)
            changed[^1] = Later(changed[^2].AddDays(-random.Between(1, 30)), entryChanged);
        if (movedOut is not null) changed[^1] = person.MovedOutOn!.Value;

        // The snapshots, from now back to the first row.
        var snapshots = new JukiSnapshot[length];
        snapshots[^1] = JukiSnapshot.Of(person, options.MunicipalityCode, commonName) with
        {
            DisclosureBlock = changes.Contains("35"),
            BecameResidentOn = entryChanged,
        };
        var households = 0;
        for (var i = length - 1; i >= 1; i--)
        {
            var after = snapshots[i];
            snapshots[i - 1] = changes[i - 1] switch
            {
                "30" => after.WithAddress(person.OldAddress ?? EarlierAddress(random, after), null),
                "31" => after.WithSurname(person, person.MaidenSurname!),
                "20" => after with { ResidentStatus = 1, MovedOutTo = null, RemovedOn = null },
                "32" => after with { HouseholdNumber = FormerHousehold(person, households++), Relationship = after.Relationship == "世帯主" ? "子" : after.Relationship },
                "33" => after with { AddressSuffix = after.AddressSuffix is null ? $"{random.Pick(vocabulary.Buildings)}{random.Between(1, 9)}0{random.Between(1, 9)}号室" : null },
                "34" => after with { IndividualNumber = Households.IndividualNumberOf(person.Index + (long)FormerNumberOffset) },
                "35" => after with { DisclosureBlock = false },
                var code => throw new InvalidOperationException($"no story for 異動事由 {code}"),
            };
        }
        now = snapshots[^1];

        var rows = new List<JukiRow>(length) { JukiRow.Of(snapshots[0], 1, entryReason, entryChanged, entryNotified, entryProcessed, run: 1) };
        for (var i = 1; i < length; i++)
        {
            var reason = changes[i - 1];
            var notified = reason == "33" ? (DateOnly?)null : processed[i - 1].AddDays(-random.Between(0, Math.Min(2, processed[i - 1].DayNumber - changed[i - 1].DayNumber)));
            rows.Add(JukiRow.Of(snapshots[i], i + 1, reason, changed[i - 1], notified, processed[i - 1], run: 1));
        }
        return rows;
    }

    private SyntheticAddress EarlierAddress(SplitMix random, JukiSnapshot after)
    {
        SyntheticAddress address;
        do address = SyntheticAddress.Draw(random, vocabulary, options);
        while (address.Register == after.Address);
        return address;
    }

    /// <summary>Another surname than the person's: a maiden name, or a name taken at marriage.</summary>
    public static Surname OtherSurname(SplitMix random, Vocabulary vocabulary, Surname current)
    {
        Surname other;
        do other = vocabulary.Surnames.Draw(random);
        while (other.Register == current.Register || other.Kana == current.Kana);
        return other;
    }

    /// <summary>A 転入 day not within a day of turning 20 or 60, where counting age by the law's rule would answer otherwise.</summary>
    public static DateOnly AwayFromAgeBoundary(string birthCompact, DateOnly day, DateOnly earliest)
    {
        for (var i = 0; i < 3 && JukiFollowUpRules.IsNearAgeBoundary(birthCompact, day); i++)
            day = day.AddDays(-2) >= earliest ? day.AddDays(-2) : day.AddDays(2);
        return day;
    }

    /// <summary>The household of the person before a 世帯変更; successive ones alternate, so no two neighbours are alike.</summary>
    private static string FormerHousehold(SyntheticPerson person, int back) =>
        AtenaNumber.WithCheckDigit(((back % 2 == 0 ? 600_000_000 : 700_000_000) + person.Index).ToString("D9", CultureInfo.InvariantCulture));

    public static DateOnly Day(SplitMix random, DateOnly from, DateOnly to) => to <= from ? from : from.AddDays(random.Next(to.DayNumber - from.DayNumber + 1));

    private static DateOnly Later(DateOnly a, DateOnly b) => a > b ? a : b;

    private static DateOnly Earlier(DateOnly a, DateOnly b) => a < b ? a : b;
}
