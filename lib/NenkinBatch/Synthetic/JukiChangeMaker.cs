using System.Globalization;
using NenkinBatch.Domain;

namespace NenkinBatch.Synthetic;

/// <summary>
/// A person's rows in the daily deltas so far: the snapshot they continue from, their last 履歴番号 and the changes made,
/// each with the snapshot before it (what a 39 or 29 restores).
/// </summary>
public sealed class DeltaStory(SyntheticPerson person, JukiSnapshot now, int lastHistoryNumber)
{
    public SyntheticPerson Person { get; } = person;
    public JukiSnapshot Now { get; set; } = now;
    public int LastHistoryNumber { get; set; } = lastHistoryNumber;
    public List<(JukiRow Row, JukiSnapshot Before)> Changes { get; } = [];
}

/// <summary>
/// Makes the rows of the daily 住基 deltas: each change a full snapshot of the person after it, numbered on from the
/// person's last 履歴番号. Delta <c>run</c> 2 is processed the day after the files' AsOf, run 3 the day after that.
/// </summary>
public sealed class JukiChangeMaker(CityOptions options, Vocabulary vocabulary, Households households)
{
    /// <summary>The mix of a day's changes, by weight: moves first, 支援措置 rare.</summary>
    private static readonly (string Code, int Weight)[] Kinds =
        [("30", 45), ("31", 8), ("20", 20), ("21", 3), ("22", 10), ("32", 7), ("33", 6), ("35", 1)];

    private static readonly string[] Abroad = ["アメリカ合衆国", "ベトナム社会主義共和国", "ブラジル連邦共和国"];

    public DateOnly ProcessedOn(int run) => options.AsOf.AddDays(run - 1);

    /// <summary>One change drawn by the usual mix; a person no longer a resident only has their record corrected (33).</summary>
    public JukiRow Ordinary(SplitMix random, DeltaStory story, int run)
    {
        var draw = random.Next(Kinds.Sum(k => k.Weight));
        var code = Kinds.First(k => (draw -= k.Weight) < 0).Code;
        if (story.Now.ResidentStatus != 1) code = "33";
        else if (code == "31" && (story.Person.IsForeign || story.Person.AgeOn(options.AsOf) < 18)) code = "33";
        else if (code == "35" && story.Now.DisclosureBlock) code = "33";
        return code switch
        {
            "30" => Move(random, story, run),
            "31" => Marry(random, story, run),
            "20" => MoveOut(random, story, run),
            "21" => Emigrate(random, story, run),
            "22" => Die(random, story, run),
            "32" => ChangeHousehold(random, story, run),
            "35" => Support(random, story, run),
            _ => Correct(random, story, run),
        };
    }

    public JukiRow Move(SplitMix random, DeltaStory story, int run)
    {
        SyntheticAddress address;
        do address = households.NewAddress(random);
        while (address.Register == story.Now.Address);
        var suffix = random.Chance(options.AddressSuffixRate) ? $"{random.Pick(vocabulary.Buildings)}{random.Between(1, 9)}0{random.Between(1, 9)}号室" : null;
        return Change(random, story, run, "30", story.Now.WithAddress(address, suffix));
    }

    public JukiRow Marry(SplitMix random, DeltaStory story, int run)
    {
        JukiSnapshot after;
        do after = story.Now.WithSurname(story.Person, vocabulary.Surnames.Draw(random));
        while (after.Name == story.Now.Name || after.NameKana == story.Now.NameKana);
        return Change(random, story, run, "31", after);
    }

    public JukiRow MoveOut(SplitMix random, DeltaStory story, int run) =>
        Removal(random, story, run, "20", 2, random.Pick(Elsewhere.All).Address);

    public JukiRow Emigrate(SplitMix random, DeltaStory story, int run) =>
        Removal(random, story, run, "21", 2, random.Pick(Abroad));

    public JukiRow Die(SplitMix random, DeltaStory story, int run) => Removal(random, story, run, "22", 3, null);

    public JukiRow ChangeHousehold(SplitMix random, DeltaStory story, int run) =>
        Change(random, story, run, "32", story.Now with
        {
            HouseholdNumber = AtenaNumber.WithCheckDigit((800_000_000 + story.Person.Index).ToString("D9", CultureInfo.InvariantCulture)),
            Relationship = "世帯主",
        });

    public JukiRow Correct(SplitMix random, DeltaStory story, int run) =>
        Change(random, story, run, "33", story.Now with
        {
            AddressSuffix = story.Now.AddressSuffix is null ? $"{random.Pick(vocabulary.Buildings)}{random.Between(1, 9)}0{random.Between(1, 9)}号室" : null,
        });

    public JukiRow Support(SplitMix random, DeltaStory story, int run) => Change(random, story, run, "35", story.Now with { DisclosureBlock = true });

    /// <summary>
    /// 39 or 29: takes back the person's latest change of the category. The snapshot is the one before it where the
    /// change touched it (address, 方書 and postal code; or 住民状態, 転出先, 消除年月日), and the 異動日 is the change's own.
    /// </summary>
    public JukiRow Cancel(SplitMix random, DeltaStory story, int run)
    {
        var (cancelled, before) = story.Changes[^1];
        var (code, after) = cancelled.ChangeReason switch
        {
            "30" => ("39", story.Now with { Address = before.Address, PostalCode = before.PostalCode, AddressSuffix = before.AddressSuffix }),
            "20" or "21" or "22" => ("29", story.Now with { ResidentStatus = 1, MovedOutTo = null, RemovedOn = null }),
            var other => throw new InvalidOperationException($"no cancellation made for 異動事由 {other}"),
        };
        return Change(random, story, run, code, after, cancelled.ChangedOn);
    }

    /// <summary>
    /// 履歴番号 1 of a person new to the register: a 転入 (10, or 11 from abroad) on <paramref name="movedIn"/> or a few days
    /// before the delta, or a 出生 (12) on the birth day.
    /// </summary>
    public JukiRow Entry(SplitMix random, SyntheticPerson person, string reason, int run, out DeltaStory story, DateOnly? movedIn = null)
    {
        var processed = ProcessedOn(run);
        var changed = reason == "12" ? person.BirthDate : movedIn ?? processed.AddDays(-random.Between(1, 10));
        if (reason != "12") changed = JukiHistoryMaker.AwayFromAgeBoundary(person.BirthCompact, changed, person.BirthDate);
        var commonName = person.IsForeign && random.Chance(0.3) ? $"{person.Surname.Register}　{person.Given.Kanji}" : null;
        var snapshot = JukiSnapshot.Of(person, options.MunicipalityCode, commonName) with { BecameResidentOn = changed };
        story = new DeltaStory(person, snapshot, 1);
        return JukiRow.Of(snapshot, 1, reason, changed, Notified(random, changed, processed), processed, run);
    }

    private JukiRow Removal(SplitMix random, DeltaStory story, int run, string code, int status, string? movedOutTo)
    {
        var changed = ChangedOn(random, run);
        return Change(random, story, run, code, story.Now with { ResidentStatus = status, MovedOutTo = movedOutTo, RemovedOn = changed }, changed);
    }

    private JukiRow Change(SplitMix random, DeltaStory story, int run, string code, JukiSnapshot after, DateOnly? changedOn = null)
    {
        var processed = ProcessedOn(run);
        var changed = changedOn ?? ChangedOn(random, run);
        var row = JukiRow.Of(after, ++story.LastHistoryNumber, code, changed, code == "33" ? null : Notified(random, changed, processed), processed, run);
        story.Changes.Add((row, story.Now));
        story.Now = after;
        return row;
    }

    /// <summary>A few days before the delta's 処理日; now and then weeks before (a late notification, a back-dated correction).</summary>
    private DateOnly ChangedOn(SplitMix random, int run) =>
        ProcessedOn(run).AddDays(-(random.Chance(options.BackDatedRate) ? random.Between(14, 60) : random.Between(0, 6)));

    private static DateOnly Notified(SplitMix random, DateOnly changed, DateOnly processed) =>
        processed.AddDays(-random.Between(0, Math.Min(2, processed.DayNumber - changed.DayNumber)));
}
