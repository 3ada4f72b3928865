namespace NenkinBatch.Synthetic;

/// <summary>What a generation wrote.</summary>
public sealed record CityCounts(long People, long OnFile, long MemberRows, long JpsRows, long JukiHistoryRows, long JukiDelta1Rows, long JukiDelta2Rows, long FollowUps);

/// <summary>
/// Generates a synthetic city into a folder, streaming: two passes over the same deterministic
/// sequence of residents (the first only counts and chooses who has which 住基 case, so that exactly the
/// asked number of JPS rows and delta rows can be drawn in the second), nothing held but one household at a time.
/// </summary>
public sealed class CityGenerator(CityOptions options, Vocabulary? vocabulary = null)
{
    private readonly Vocabulary _vocabulary = vocabulary ?? Vocabulary.BuiltIn;

    public CityCounts Generate(string directory, CancellationToken cancellationToken = default)
    {
        var households = new Households(options, _vocabulary);

        // Pass 1: how many residents are on file, how many adults not on file live with someone who is, who has which 住基 case.
        long onFile = 0, relatives = 0;
        var scenario = new JukiScenario(options);
        foreach (var household in households.Generate(new SplitMix(options.Seed)))
        {
            var anyOnFile = household.Any(p => p.OnFile);
            onFile += household.Count(p => p.OnFile);
            if (anyOnFile) relatives += household.Count(p => !p.OnFile && p.AgeOn(options.AsOf) >= 20);
            foreach (var person in household) scenario.Consider(person);
        }

        var jpsTotal = options.EffectiveJpsRows;
        var nobody = (long)Math.Round(jpsTotal * options.NobodyRowRate);
        var aboutRelatives = Math.Min(relatives, (long)Math.Round(jpsTotal * options.RelativeRowRate));
        var aboutOnFile = Math.Min(jpsTotal - nobody - aboutRelatives, onFile);
        nobody = jpsTotal - aboutRelatives - aboutOnFile;

        var events = new SplitMix(options.Seed ^ 0x5EED_0F_E7E7_75UL);
        var jpsMaker = new JpsRowMaker(options, _vocabulary);
        var onFileDraw = new Draw(aboutOnFile, onFile);
        var relativeDraw = new Draw(aboutRelatives, relatives);
        var retired = new RetiredJukiDraws(options);
        var namesakes = 0;

        // Pass 2: the same residents, written.
        using var files = new CityFiles(directory, options);
        var juki = new JukiStories(options, _vocabulary, households, scenario, files);
        foreach (var household in households.Generate(new SplitMix(options.Seed)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var anyOnFile = household.Any(p => p.OnFile);
            foreach (var person in household)
            {
                if (person.OnFile) files.Member(person);
                var cases = new List<string>();
                if (person.IsTwin) cases.Add("twin");
                var rows = 0;
                if (person.OnFile)
                {
                    rows = onFileDraw.Take(events, events.Chance(options.DoubleFilingRate));
                    for (var r = 0; r < rows; r++)
                    {
                        List<string> rowCases = [.. cases, .. rows > 1 ? ["double-filing"] : Array.Empty<string>()];
                        var wrongNumber = WrongNumber(events, person, rowCases);
                        var slips = Slips(files);
                        var row = jpsMaker.About(events, slips, person, person.AtenaNumber, rowCases, wrongNumber);
                        // A namesake's row in its place; the person's was still drawn, so that the rows after it stay as they were.
                        if (slips.Chance(options.NamesakeRowRate)) row = Namesake(slips, person, options.People + 5_000_000 + namesakes++, households, jpsMaker);
                        files.Jps(row);
                    }
                }
                else if (anyOnFile && person.AgeOn(options.AsOf) >= 20 && relativeDraw.Take(events, false) > 0)
                {
                    files.Jps(jpsMaker.About(events, Slips(files), person, null, [.. cases, "relative-not-on-file"]) with { ResidentAtena = person.AtenaNumber });
                }
                retired.Skip(events, person);
                juki.Resident(person, rows > 0);
            }
        }
        for (var i = 0; i < nobody; i++)
            files.Jps(jpsMaker.About(events, Slips(files), jpsMaker.Stranger(events, options.People + 1_000_000 + i, households), null, ["nobody-on-file"]));
        juki.Finish();
        var (history, delta1, delta2) = (files.JukiHistory.Rows, files.JukiDelta(2).Rows, files.JukiDelta(3).Rows);
        files.Dispose(); // the rejected rows still in a shuffle window add their follow-ups
        if (options.RetentionPeople > 0) RetentionCity.Write(directory, options);
        return new CityCounts(options.People, onFile, files.MemberRows, files.JpsRows, history, delta1, delta2, files.FollowUps);
    }

    /// <summary>The generator of the slips of the list's next row (<see cref="SplitMix.For"/>).</summary>
    private SplitMix Slips(CityFiles files) => SplitMix.For(options.Seed, 0x511_95_0F_20_75UL, files.JpsRows + 1);

    /// <summary>
    /// A row about someone with the person's name, kana, birth date and sex who never lived in the city: another address,
    /// with a 基礎年金番号 of their own or none. The city has nobody to match it to.
    /// </summary>
    private GeneratedRow Namesake(SplitMix slips, SyntheticPerson person, int index, Households households, JpsRowMaker jpsMaker)
    {
        var namesake = jpsMaker.Namesake(slips, person, index, households, withNumber: slips.Chance(options.NamesakeNumberRate));
        var row = jpsMaker.About(slips, slips, namesake, null, ["namesake-not-on-file"]);
        return row with { Cases = [.. row.Cases, row.Fields["basic_pension_number"].Length > 0 ? "namesake-not-on-file:with-number" : "namesake-not-on-file:no-number"] };
    }

    /// <summary>A 基礎年金番号 slip now and then: the number of the next person, so it is on file for someone else.</summary>
    private string? WrongNumber(SplitMix random, SyntheticPerson person, List<string> cases)
    {
        if (!random.Chance(options.WrongPensionNumberRate)) return null;
        cases.Add("wrong-pension-number");
        return Households.PensionNumber(person.Index + 1);
    }

    /// <summary>
    /// The draws the city's one 住基 change extract used to take from the JPS rows' generator, still taken and not used,
    /// so that a seed keeps its JPS rows (samples/city and the tests that read its lines, the accuracy figures) now that
    /// the 住基 files have a generator of their own. The old draw's sizes and rates are its own, fixed here.
    /// </summary>
    private sealed class RetiredJukiDraws
    {
        private static readonly (string Code, int Weight)[] Kinds =
            [("30", 40), ("31", 8), ("20", 20), ("21", 3), ("22", 10), ("32", 7), ("33", 7), ("35", 5)];

        private readonly Draw _draw;

        public RetiredJukiDraws(CityOptions options)
        {
            var transfersIn = (long)Math.Round(options.EffectiveJukiChanges * 0.08);
            _draw = new Draw(Math.Min(options.EffectiveJukiChanges - transfersIn, options.People), options.People);
        }

        public void Skip(SplitMix events, SyntheticPerson person)
        {
            var changes = _draw.Take(events, events.Chance(0.05));
            for (var c = 0; c < changes; c++)
            {
                var draw = events.Next(100);
                var code = Kinds.First(k => (draw -= k.Weight) < 0).Code;
                // 異動日, then the change's own (a new address: town and three numbers; a surname; a country), 届出日, 処理日, and a 通称 for foreign residents.
                var draws = 1 + code switch { "30" => 4, "31" or "21" => 1, _ => 0 } + 2 + (person.IsForeign ? 1 : 0);
                for (var d = 0; d < draws; d++) events.NextUInt64();
            }
        }
    }
}
