namespace NenkinBatch.Synthetic;

/// <summary>What a generation wrote.</summary>
public sealed record CityCounts(long People, long OnFile, long MemberRows, long JpsRows, long JukiRows);

/// <summary>
/// Generates a synthetic city into a folder, streaming: two passes over the same deterministic
/// sequence of residents (the first only counts, so that exactly the asked number of JPS rows and
/// 住基 changes can be drawn in the second), nothing held but one household at a time.
/// </summary>
public sealed class CityGenerator(CityOptions options, Vocabulary? vocabulary = null)
{
    private readonly Vocabulary _vocabulary = vocabulary ?? Vocabulary.BuiltIn;

    public CityCounts Generate(string directory, CancellationToken cancellationToken = default)
    {
        var households = new Households(options, _vocabulary);

        // Pass 1: how many residents are on file, and how many adults not on file live with someone who is.
        long onFile = 0, relatives = 0;
        foreach (var household in households.Generate(new SplitMix(options.Seed)))
        {
            var anyOnFile = household.Any(p => p.OnFile);
            onFile += household.Count(p => p.OnFile);
            if (anyOnFile) relatives += household.Count(p => !p.OnFile && p.AgeOn(options.AsOf) >= 20);
        }

        var jpsTotal = options.EffectiveJpsRows;
        var nobody = (long)Math.Round(jpsTotal * options.NobodyRowRate);
        var aboutRelatives = Math.Min(relatives, (long)Math.Round(jpsTotal * options.RelativeRowRate));
        var aboutOnFile = Math.Min(jpsTotal - nobody - aboutRelatives, onFile);
        nobody = jpsTotal - aboutRelatives - aboutOnFile;
        var transfersIn = (long)Math.Round(options.EffectiveJukiChanges * options.TransferInRate);
        var changes = Math.Min(options.EffectiveJukiChanges - transfersIn, options.People);
        transfersIn = options.EffectiveJukiChanges - changes;

        var events = new SplitMix(options.Seed ^ 0x5EED_0F_E7E7_75UL);
        var jpsMaker = new JpsRowMaker(options, _vocabulary);
        var jukiMaker = new JukiChangeMaker(options, _vocabulary, households);
        var onFileDraw = new Draw(aboutOnFile, onFile);
        var relativeDraw = new Draw(aboutRelatives, relatives);
        var changeDraw = new Draw(changes, options.People);

        // Pass 2: the same residents, written.
        using var files = new CityFiles(directory, options.MunicipalityCode, options.AsOf);
        foreach (var household in households.Generate(new SplitMix(options.Seed)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var anyOnFile = household.Any(p => p.OnFile);
            foreach (var person in household)
            {
                if (person.OnFile) files.Member(person);
                var cases = new List<string>();
                if (person.IsTwin) cases.Add("twin");
                if (person.OnFile)
                {
                    var rows = onFileDraw.Take(events, events.Chance(options.DoubleFilingRate));
                    for (var r = 0; r < rows; r++)
                        files.Jps(jpsMaker.About(events, person, person.AtenaNumber, [.. cases, .. rows > 1 ? ["double-filing"] : Array.Empty<string>()], WrongNumber(events, person, cases)));
                }
                else if (anyOnFile && person.AgeOn(options.AsOf) >= 20 && relativeDraw.Take(events, false) > 0)
                {
                    files.Jps(jpsMaker.About(events, person, null, [.. cases, "relative-not-on-file"]));
                }
                var personChanges = changeDraw.Take(events, events.Chance(options.SecondChangeRate));
                for (var c = 0; c < personChanges; c++) files.Juki(jukiMaker.Change(events, person, person.OnFile));
            }
        }
        for (var i = 0; i < nobody; i++)
            files.Jps(jpsMaker.About(events, jpsMaker.Stranger(events, options.People + 1_000_000 + i, households), null, ["nobody-on-file"]));
        var next = options.People + 2_000_000;
        for (var household = 0; transfersIn > 0; household++)
        {
            foreach (var person in households.Newcomers(events, 900_000 + household, next))
            {
                if (transfersIn-- <= 0) break;
                files.Juki(jukiMaker.TransferIn(events, person));
                next++;
            }
        }
        return new CityCounts(options.People, onFile, files.MemberRows, files.JpsRows, files.JukiRows);
    }

    /// <summary>A 基礎年金番号 slip now and then: the number of the next person, so it is on file for someone else.</summary>
    private string? WrongNumber(SplitMix random, SyntheticPerson person, List<string> cases)
    {
        if (!random.Chance(options.WrongPensionNumberRate)) return null;
        cases.Add("wrong-pension-number");
        return Households.PensionNumber(person.Index + 1);
    }

    /// <summary>
    /// Selection sampling (Knuth's algorithm S), by rows: exactly <c>wanted</c> rows over <c>population</c>
    /// candidates in one pass, one or two rows a chosen candidate.
    /// </summary>
    private sealed class Draw(long wanted, long population)
    {
        private long _wanted = wanted;
        private long _left = population;

        public int Take(SplitMix random, bool twoIfPossible)
        {
            if (_left <= 0) return 0;
            var chosen = random.NextDouble() * _left < _wanted;
            _left--;
            if (!chosen) return 0;
            var rows = twoIfPossible && _wanted > 1 && _wanted - 2 <= _left ? 2 : 1;
            _wanted -= rows;
            return rows;
        }
    }
}
