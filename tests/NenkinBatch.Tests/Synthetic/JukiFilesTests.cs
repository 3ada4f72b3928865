using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Synthetic;

/// <summary>
/// The 住基 files of a generated city (20,000 people, 600 rows a delta), checked from the files alone: the history tells
/// every resident's story and ends where members.csv is, the deltas continue it, and the follow-up truth is what the
/// sync rules give for the files.
/// </summary>
public class JukiFilesTests(GeneratedCity city) : IClassFixture<GeneratedCity>
{
    private static readonly DateOnly AsOf = GeneratedCity.Options.AsOf;

    [Fact]
    public async Task EveryRowReadsBack_ButExactlyTheRefusedOnes_WhichAreTheTruthsRejectedRows()
    {
        var files = await city.JukiAsync();
        files.History.ShouldAllBe(l => !l.ReaderRefused && !l.OtherCity("121002"));
        var refused = files.All.Where(l => l.ReaderRefused || l.OtherCity("121002")).Select(l => $"{l.Atena},{l.File},{l.Line}").ToList();
        refused.Count.ShouldBe(6); // 異動日 0230, 異動事由 99, 死亡 as 住民, 履歴番号 0, another city, and a refused row with a later one
        refused.ShouldBe(files.FollowUps.Where(f => f[0] == "rejected-row").Select(f => $"{f[1]},{f[3]},{f[4]}"), ignoreOrder: true);
        files.All.Count(l => l.OtherCity("121002")).ShouldBe(1);
        files.All.ShouldAllBe(l => l["市区町村コード"] == "121002" || l["市区町村コード"] == "131016");

        // The register's characters, kept: outside the BMP, and with variation selectors.
        var text = string.Join("\n", files.History.Select(l => l.Text));
        text.ShouldContain("𠮷");
        text.ShouldContain("\U000E0100");
    }

    [Fact]
    public async Task History_EveryResidentNumberedOneToK_LastSnapshotIsWhatMembersSays()
    {
        var files = await city.JukiAsync();
        var people = files.History.GroupBy(l => l.Atena).ToList();
        people.Count.ShouldBe(20_000);
        var lengths = new List<int>();
        foreach (var person in people)
        {
            var rows = person.Select(l => l.Row!).DistinctBy(r => r.HistoryNumber).OrderBy(r => r.HistoryNumber).ToList();
            rows.Select(r => r.HistoryNumber).ShouldBe(Enumerable.Range(1, rows.Count), person.Key);
            lengths.Add(rows.Count);
            rows[0].ChangeReason.ShouldBeOneOf("10", "11", "12");
            rows[0].BecameResidentOn.ShouldBe(rows[0].ChangedOn);
            rows.ShouldAllBe(r => r.BecameResidentOn == rows[0].ChangedOn && r.ChangedOn <= r.ProcessedOn && r.ProcessedOn < AsOf);
            // A resident throughout, but for someone who left: a 20 転出 ends their history.
            rows.SkipLast(1).ShouldAllBe(r => r.ResidentStatus == 1 && r.ChangeReason != "20");
            if (rows[^1].ChangeReason == "20") (rows[^1].ResidentStatus, rows[^1].RemovedOn).ShouldBe((2, rows[^1].ChangedOn), person.Key);
            else rows[^1].ResidentStatus.ShouldBe(1);
            for (var i = 1; i < rows.Count; i++)
            {
                rows[i].ProcessedOn.ShouldBeGreaterThanOrEqualTo(rows[i - 1].ProcessedOn, person.Key);
                rows[i].ChangeReason.ShouldBeOneOf("20", "30", "31", "32", "33", "34", "35");
                if (rows[i - 1].DisclosureBlock) rows[i].DisclosureBlock.ShouldBeTrue();
                rows[i].DisclosureBlock.ShouldBe(rows[i - 1].DisclosureBlock || rows[i].ChangeReason == "35");
            }
            if (!files.Members.TryGetValue(person.Key, out var member)) continue;
            var last = person.First(l => l.Number == rows.Count).Raw;
            var m = member.Fields;
            (last["氏名"], last["氏名フリガナ"], last["生年月日"], last["性別"], last["郵便番号"], last["住所"], last["方書"], last["住民状態"], last["消除年月日"], last["個人番号"])
                .ShouldBe((m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10], m[16]), person.Key);
        }
        files.History.Count(l => l.Reason == "20").ShouldBeInRange(30, 200); // a hundredth of the people on file left
        lengths.Average().ShouldBeInRange(2.8, 3.4);
        lengths.Max().ShouldBeGreaterThanOrEqualTo(5);
        files.History.Where(l => l.Number == 1).Select(l => l.Reason).Distinct().ShouldBe(["10", "11", "12"], ignoreOrder: true);
        files.History.Max(l => l.Row!.ProcessedOn).ShouldBe(AsOf.AddDays(-1));
    }

    [Fact]
    public async Task History_EachChangeChangesWhatItSays_MoversFromTheirOldAddress_AndChangedOnIsNotInOrder()
    {
        var files = await city.JukiAsync();
        var byPerson = files.History.GroupBy(l => l.Atena).ToDictionary(g => g.Key, g => g.DistinctBy(l => l.Number).OrderBy(l => l.Number).ToList());
        var backDated = 0;
        foreach (var rows in byPerson.Values)
        {
            for (var i = 1; i < rows.Count; i++)
            {
                var (before, after) = (rows[i - 1].Raw, rows[i].Raw);
                var changed = before.Keys.Where(k => k is not ("履歴番号" or "異動事由コード" or "異動日" or "届出日" or "処理日") && before[k] != after[k]).ToHashSet();
                switch (rows[i].Reason)
                {
                    case "30": changed.ShouldContain("住所"); changed.ShouldBeSubsetOf(["住所", "郵便番号", "方書"]); break;
                    case "31": changed.ShouldBe(["氏名", "氏名フリガナ"], ignoreOrder: true); break;
                    case "32": changed.ShouldContain("世帯番号"); changed.ShouldBeSubsetOf(["世帯番号", "続柄"]); break;
                    case "33": changed.ShouldBe(["方書"]); break;
                    case "34": changed.ShouldBe(["個人番号"]); IndividualNumber.Parse(after["個人番号"]).Ok.ShouldBeTrue(); break;
                    case "35": changed.ShouldBe(["支援措置"]); after["支援措置"].ShouldBe("1"); break;
                    case "20": changed.ShouldBe(["住民状態", "転出先住所", "消除年月日"], ignoreOrder: true); after["住民状態"].ShouldBe("2"); break;
                }
                if (rows[i].Row!.ChangedOn < rows[i - 1].Row!.ChangedOn) backDated++;
            }
        }
        backDated.ShouldBeGreaterThan(10);
        foreach (var reason in new[] { "20", "30", "31", "32", "33", "34", "35" }) files.History.ShouldContain(l => l.Reason == reason, reason);

        // Who moved since JPS last heard of them (JPS keeps the old address) has a 転居 from there to where they live now; but
        // some moved before the history begins: their history starts where they live, and the old address is nowhere in it.
        var people = new Households(GeneratedCity.Options, Vocabulary.BuiltIn).Generate(new SplitMix(GeneratedCity.Options.Seed)).SelectMany(h => h).ToList();
        var movers = people.Where(p => p.OldAddress is not null).ToList();
        movers.Count(p => p.OldAddressInHistory).ShouldBeGreaterThan(100);
        movers.Count(p => !p.OldAddressInHistory).ShouldBeGreaterThan(20);
        foreach (var mover in movers)
        {
            var rows = byPerson[mover.AtenaNumber];
            var move = rows.FindIndex(l => l.Reason == "30");
            if (!mover.OldAddressInHistory)
            {
                rows.ShouldAllBe(l => l["住所"] == mover.Address.Register, mover.AtenaNumber);
                continue;
            }
            move.ShouldBeGreaterThan(0);
            rows[move - 1]["住所"].ShouldBe(mover.OldAddress!.Register);
            rows[move]["住所"].ShouldBe(mover.Address.Register);
        }
        // Married women with a maiden name: the 31 changes the surname only, from the maiden name to the name now.
        var maiden = files.History.Where(l => l.Reason == "31").ToList();
        maiden.Count.ShouldBeGreaterThan(100);
        maiden.ShouldAllBe(l => l["性別"] == "2" && l["続柄"] == "妻");
        foreach (var wife in people.Where(p => p.MaidenSurname is not null))
        {
            var rows = byPerson[wife.AtenaNumber];
            var change = rows.FindIndex(l => l.Reason == "31");
            change.ShouldBeGreaterThan(0, wife.AtenaNumber);
            rows[change - 1]["氏名フリガナ"].ShouldBe($"{wife.MaidenSurname!.Kana}　{wife.Given.Kana}");
            rows[change]["氏名フリガナ"].ShouldBe($"{wife.Surname.Kana}　{wife.Given.Kana}");
        }
        // Who left the city: the 20 on the day they left, to another city, after everything else.
        foreach (var left in people.Where(p => p.MovedOutOn is not null))
        {
            var last = byPerson[left.AtenaNumber][^1];
            (last.Reason, last.Row!.ChangedOn, last["転出先住所"]).ShouldBe(("20", left.MovedOutOn!.Value, left.MovedOutTo!.Address));
        }
    }

    [Fact]
    public async Task History_IsNotInOrder_SomePersonsLastFirst_AndHasDuplicateLines()
    {
        var files = await city.JukiAsync();
        var keys = files.History.Select(l => (l.Atena, l.Number)).ToList();
        keys.ShouldNotBe(keys.OrderBy(k => k.Atena, StringComparer.Ordinal).ThenBy(k => k.Number).ToList());
        // Every row is near where its person's rows are: the shuffle window is bounded.
        foreach (var person in files.History.GroupBy(l => l.Atena))
            (person.Max(l => l.Line) - person.Min(l => l.Line)).ShouldBeLessThan(2 * GeneratedCity.Options.ShuffleWindow);
        files.History.GroupBy(l => l.Atena).Count(g => g.First().Number > g.Last().Number).ShouldBeGreaterThan(500);
        var duplicates = files.History.GroupBy(l => l.Text).Count(g => g.Count() > 1);
        duplicates.ShouldBeInRange(20, 400);
        files.History.GroupBy(l => (l.Atena, l.Number)).Where(g => g.Count() > 1).ShouldAllBe(g => g.Select(l => l.Text).Distinct().Count() == 1);
    }

    [Fact]
    public async Task Deltas_ExactlyTheRowsAsked_ContinuingEachPersonsNumbering_ButForTheDeliberateGaps()
    {
        var files = await city.JukiAsync();
        files.Runs[1].Count.ShouldBe(600);
        files.Runs[2].Count.ShouldBe(600);
        files.Good(2).Where(l => l.Row!.ProcessedOn != AsOf.AddDays(1)).ShouldAllBe(l => files.History.Any(h => h.Text == l.Text));
        files.Good(3).ShouldAllBe(l => l.Row!.ProcessedOn == AsOf.AddDays(2) || l.Row!.ProcessedOn == AsOf.AddDays(1));
        files.Good(3).Count(l => l.Row!.ProcessedOn == AsOf.AddDays(1)).ShouldBe(1); // the row held back from delta 1

        var lastInHistory = files.History.GroupBy(l => l.Atena).ToDictionary(g => g.Key, g => g.Max(l => l.Number));
        var notContinuing = new List<string>();
        foreach (var person in files.Good(2).Concat(files.Good(3)).GroupBy(l => l.Atena))
        {
            var last = lastInHistory.GetValueOrDefault(person.Key);
            foreach (var old in person.Where(l => l.Number <= last)) files.History.ShouldContain(h => h.Text == old.Text); // sent again
            var numbers = person.Where(l => l.Number > last).Select(l => l.Number).Distinct().Order().ToList();
            if (!numbers.SequenceEqual(Enumerable.Range(last + 1, numbers.Count))) notContinuing.Add(person.Key);
            if (last == 0) person.First(l => l.Number == 1).Reason.ShouldBeOneOf("10", "11", "12");
        }
        // The person whose n+2 never comes, and the person whose refused row is followed by a later one: their gaps stay open.
        notContinuing.ShouldBe(files.FollowUps.Where(f => f[0] == "gap" && f[5] == "OPEN").Select(f => f[1]), ignoreOrder: true);
        notContinuing.Count.ShouldBe(2);
    }

    [Fact]
    public async Task FollowUpTruth_IsWhatTheRulesGiveForTheFiles()
    {
        var files = await city.JukiAsync();
        files.FollowUps.Select(f => string.Join(",", f)).ShouldBe(files.FollowUpsByTheRules(), ignoreOrder: true);
        JukiSampleTests.CheckTruthAgainstTheFiles(files);
    }
}

/// <summary>The committed sample city (400 people): small, and still every case of the 住基 files and of the follow-ups.</summary>
public class JukiSampleTests
{
    private static readonly Lazy<Task<JukiCityFiles>> Sample = new(() => JukiCityFiles.ReadAsync(Path.Combine(AdminProcess.RepositoryRoot, "samples", "city")));
    private static readonly DateOnly AsOf = new CityOptions().AsOf;

    [Fact]
    public async Task SampleCity_HasEveryChangeKind_Newcomers_AndBirths()
    {
        var files = await Sample.Value;
        var good = files.Good(2).Concat(files.Good(3)).ToList();
        foreach (var reason in new[] { "30", "31", "20", "21", "22", "32", "35", "39", "29", "10", "11", "12" })
            good.ShouldContain(l => l.Reason == reason, reason);
        good.Where(l => l.Reason is "20" or "21").ShouldAllBe(l => l.Row!.ResidentStatus == 2 && l.Row.MovedOutTo != null && l.Row.RemovedOn != null);
        good.Where(l => l.Reason == "22").ShouldAllBe(l => l.Row!.ResidentStatus == 3 && l.Row.RemovedOn != null);

        // 支援措置 set for someone the JPS list is about.
        var jpsAbout = File.ReadAllLines(Path.Combine(files.Directory, CityFiles.TruthFile)).Skip(1).Select(l => l.Split(',')).Where(t => t[0] == "jps").Select(t => t[2]).ToHashSet();
        good.ShouldContain(l => l.Reason == "35" && l["支援措置"] == "1" && jpsAbout.Contains(l.Atena));

        // Newcomers: 履歴番号 1 and a 宛名番号 the history does not know; of working age and not; foreign ones; a birth.
        var known = files.History.Select(l => l.Atena).ToHashSet();
        var newcomers = good.Where(l => l.Number == 1 && !known.Contains(l.Atena)).ToList();
        newcomers.ShouldAllBe(l => AtenaNumber.Parse(l.Atena).Value.HasValidCheckDigit);
        var ages = newcomers.Where(l => l.Reason == "10" && l.Row!.BirthDate.Date != null).Select(l => Age(l.Row!.BirthDate.Date!.Value, l.Row.ChangedOn)).ToList();
        ages.ShouldContain(a => a >= 20 && a <= 59);
        ages.ShouldContain(a => a < 20 || a > 59);
        newcomers.ShouldContain(l => l.Row!.ResidentKind == 2 && l.Reason == "11");
        newcomers.ShouldContain(l => l.Row!.ResidentKind == 2 && l.Row.BirthDate.Date == null);
        newcomers.ShouldContain(l => l.Reason == "12" && l.Row!.BirthDate.Date == l.Row.ChangedOn);
        files.Runs[1].Count.ShouldBe(new CityOptions { People = 400 }.JukiRowsPerDelta);
        files.Runs[2].Count.ShouldBe(new CityOptions { People = 400 }.JukiRowsPerDelta);
    }

    [Fact]
    public async Task SampleCity_CancellationsDuplicatesAndGaps()
    {
        var files = await Sample.Value;
        var last = files.History.GroupBy(l => l.Atena).ToDictionary(g => g.Key, g => g.OrderBy(l => l.Number).Last());
        var good = files.Good(2).Concat(files.Good(3)).ToList();
        JukiLine? Find(string atena, int number) => good.FirstOrDefault(l => l.Atena == atena && l.Number == number);

        // 30 then 39: in the same delta and across the two; the 39 puts back the address before the 転居, with its 異動日.
        var moveCancels = good.Where(l => l.Reason == "39").Select(c => (Cancel: c, Move: Find(c.Atena, c.Number - 1)!)).ToList();
        moveCancels.ShouldAllBe(x => x.Move != null && x.Move.Reason == "30" && x.Cancel.Row!.ChangedOn == x.Move.Row!.ChangedOn);
        moveCancels.ShouldContain(x => x.Move.Run == 2 && x.Cancel.Run == 2);
        moveCancels.ShouldContain(x => x.Move.Run == 2 && x.Cancel.Run == 3);
        foreach (var (cancel, move) in moveCancels)
        {
            var before = Find(move.Atena, move.Number - 1) ?? last[move.Atena];
            (cancel["住所"], cancel["方書"], cancel["郵便番号"]).ShouldBe((before["住所"], before["方書"], before["郵便番号"]));
            cancel["住所"].ShouldNotBe(move["住所"]);
        }
        // 20 then 29: a resident again, nothing moved out or removed.
        var moveOutCancel = good.Single(l => l.Reason == "29");
        Find(moveOutCancel.Atena, moveOutCancel.Number - 1)!.Reason.ShouldBe("20");
        (moveOutCancel.Row!.ResidentStatus, moveOutCancel.Row.MovedOutTo, moveOutCancel.Row.RemovedOn).ShouldBe((1, null, null));

        // A history row sent again in delta 1; a row twice in one delta.
        var history = files.History.Select(l => l.Text).ToHashSet();
        files.Runs[1].ShouldContain(l => history.Contains(l.Text));
        files.Runs.Skip(1).ShouldContain(run => run.GroupBy(l => l.Text).Any(g => g.Count() == 2));

        // n+1 and n+3 in delta 1, n+2 in delta 2; and n+1, n+3 with no n+2 ever.
        bool Gap(string atena, bool released)
        {
            var n = last[atena].Number;
            return Find(atena, n + 1)?.Run == 2 && Find(atena, n + 3)?.Run == 2 && (released ? Find(atena, n + 2)?.Run == 3 : Find(atena, n + 2) is null);
        }
        good.Select(l => l.Atena).Where(last.ContainsKey).Distinct().Count(a => Gap(a, released: true)).ShouldBe(1);
        good.Select(l => l.Atena).Where(last.ContainsKey).Distinct().Count(a => Gap(a, released: false)).ShouldBe(1);

        // Rows do not come in order, and a person's rows come last-first now and then.
        foreach (var run in files.Runs.Skip(1))
            run.Select(l => l.Atena).ShouldNotBe(run.Select(l => l.Atena).Order(StringComparer.Ordinal));
        files.Runs.Skip(1).SelectMany(r => r.GroupBy(l => l.Atena)).ShouldContain(g => g.Count() > 1 && g.First().Number > g.Last().Number);
    }

    [Fact]
    public async Task SampleCity_RefusedRows_OneOfEachKind_EachTheLastOfItsPerson_ButOne()
    {
        var files = await Sample.Value;
        var refused = files.Deltas.Where(l => l.ReaderRefused || l.OtherCity("121002")).ToList();
        refused.ShouldContain(l => l["異動日"] == "20260230");
        refused.ShouldContain(l => l.Reason == "99");
        refused.ShouldContain(l => l.Reason == "22" && l["住民状態"] == "1");
        refused.ShouldContain(l => l["履歴番号"] == "0");
        var elsewhere = refused.Single(l => l.OtherCity("121002"));
        (elsewhere["市区町村コード"], elsewhere.Row.ShouldNotBeNull().AtenaNumber).ShouldBe(("131016", elsewhere.Atena));
        files.All.Where(l => l != elsewhere).ShouldAllBe(l => l.Atena != elsewhere.Atena);
        refused.Count.ShouldBe(6);
        // A person under 支援措置 among them: a rejected-row list must not show where they live.
        refused.ShouldContain(l => l["支援措置"] == "1");

        var later = refused.Where(l => l != elsewhere && files.Deltas.Any(o => o.Atena == l.Atena && o.Row is not null && o.Number > l.Number)).ToList();
        later.Count.ShouldBe(1);
        files.FollowUps.ShouldContain(f => f[0] == "gap" && f[1] == later[0].Atena && f[2] == later[0]["履歴番号"] && f[5] == "OPEN");
    }

    [Fact]
    public async Task SampleCity_FollowUpTruth_HasEveryKindAndStatus_AndIsWhatTheRulesGive()
    {
        var files = await Sample.Value;
        var kinds = files.FollowUps.Select(f => (f[0], f[5])).ToHashSet();
        foreach (var kind in new[] { "loss-candidate", "death", "acquisition-candidate", "move", "name-change", "gap", "rejected-row" })
            kinds.ShouldContain((kind, "OPEN"), kind);
        kinds.ShouldContain(("move", "WITHDRAWN"));
        kinds.ShouldContain(("loss-candidate", "WITHDRAWN"));
        kinds.ShouldContain(("gap", "RESOLVED"));
        // Follow-ups from the history too: only for rows of its last 90 days (the newest row is AsOf − 1).
        var historyRows = files.History.ToLookup(l => (l.Atena, l.Number));
        var fromHistory = files.FollowUps.Where(f => f[0] != "rejected-row" && f[0] != "gap" && historyRows[(f[1], int.Parse(f[2], CultureInfo.InvariantCulture))].Any()).ToList();
        fromHistory.ShouldContain(f => f[0] == "move");
        fromHistory.ShouldContain(f => f[0] == "acquisition-candidate");
        // The edges of the window: a 転居 of someone with an open 資格 processed 91 days before AsOf raises a follow-up, 92 days not.
        var edge = files.History.Where(l => l.Reason == "30" && files.Members.ContainsKey(l.Atena) && files.Members[l.Atena].Open).ToList();
        edge.ShouldContain(l => l.Row!.ProcessedOn == AsOf.AddDays(-91) && files.FollowUps.Any(f => f[0] == "move" && f[1] == l.Atena && f[2] == l["履歴番号"]));
        edge.ShouldContain(l => l.Row!.ProcessedOn == AsOf.AddDays(-92) && !files.FollowUps.Any(f => f[1] == l.Atena));
        files.FollowUps.Select(f => string.Join(",", f)).ShouldBe(files.FollowUpsByTheRules(), ignoreOrder: true);
        CheckTruthAgainstTheFiles(files);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(40, 2)]
    [InlineData(3_000, 9)]
    public async Task AnyCity_FollowUpTruth_IsWhatTheRulesGive(int people, ulong seed)
    {
        var directory = Directory.CreateTempSubdirectory("nenkin-juki-").FullName;
        try
        {
            new CityGenerator(new CityOptions { People = people, Seed = seed }).Generate(directory);
            var files = await JukiCityFiles.ReadAsync(directory);
            files.FollowUps.Select(f => string.Join(",", f)).ShouldBe(files.FollowUpsByTheRules(), ignoreOrder: true);
            CheckTruthAgainstTheFiles(files);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    /// <summary>What the truth says, checked against the rows it is about.</summary>
    internal static void CheckTruthAgainstTheFiles(JukiCityFiles files)
    {
        var good = Enumerable.Range(1, 3).SelectMany(files.Good).ToList();
        files.FollowUps.Select(f => f[0] == "rejected-row" ? $"{f[3]},{f[4]}" : $"{f[0]},{f[1]},{f[2]}").ShouldBeUnique();
        foreach (var f in files.FollowUps)
        {
            f[5].ShouldBeOneOf("OPEN", "WITHDRAWN", "RESOLVED");
            if (f[0] == "rejected-row")
            {
                (f[2], f[5]).ShouldBe(("", "OPEN"));
                continue;
            }
            (f[3], f[4]).ShouldBe(("", ""));
            var number = int.Parse(f[2], CultureInfo.InvariantCulture);
            var row = good.FirstOrDefault(l => l.Atena == f[1] && l.Number == number);
            switch (f[5])
            {
                // Taken back: a later cancellation of the same category.
                case "WITHDRAWN":
                    good.ShouldContain(l => l.Atena == f[1] && l.Number > number && l.Reason[1] == '9' && l.Reason[0] == row!.Reason[0]);
                    break;
                // A gap closed: the missing number came in delta 2.
                case "RESOLVED":
                    f[0].ShouldBe("gap");
                    row.ShouldNotBeNull().Run.ShouldBe(3);
                    break;
                case "OPEN" when f[0] == "gap":
                    row.ShouldBeNull();
                    break;
            }
            if (f[0] != "gap")
            {
                row.ShouldNotBeNull();
                var open = files.Members.TryGetValue(f[1], out var member) && member.Open;
                (f[0] == "acquisition-candidate" ? !open : open).ShouldBeTrue(string.Join(",", f));
                row.Reason.ShouldBeOneOf(f[0] switch { "loss-candidate" => ["20", "21"], "death" => ["22"], "acquisition-candidate" => ["10", "11"], "move" => ["30"], _ => ["31"] });
            }
        }
    }

    private static int Age(DateOnly birth, DateOnly day) => day.Year - birth.Year - (day < birth.AddYears(day.Year - birth.Year) ? 1 : 0);
}

/// <summary>The generator streams: a city of 200,000 people is written with nothing held but one household and a shuffle window.</summary>
public class LargeCityTests
{
    [Fact]
    public void Generate_200000People_WritesEveryFile()
    {
        var directory = Directory.CreateTempSubdirectory("nenkin-large-").FullName;
        try
        {
            var counts = new CityGenerator(new CityOptions { People = 200_000, Seed = 3 }).Generate(directory);
            counts.People.ShouldBe(200_000);
            ((double)counts.JukiHistoryRows / counts.People).ShouldBeInRange(2.9, 3.3);
            (counts.JukiDelta1Rows, counts.JukiDelta2Rows).ShouldBe((4_000L, 4_000L));
            File.ReadLines(Path.Combine(directory, CityFiles.JukiHistoryFile)).LongCount().ShouldBe(counts.JukiHistoryRows + 1);
            File.ReadLines(Path.Combine(directory, CityFiles.FollowUpsFile)).LongCount().ShouldBe(counts.FollowUps + 1);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}
