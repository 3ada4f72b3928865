using System.Globalization;
using NenkinBatch.Domain;

namespace NenkinBatch.Synthetic;

/// <summary>
/// The generator's second pass for the 住基 files: per resident, the whole story at once — the history rows, the rows of
/// both deltas, and the follow-ups the sync must raise for them (the rules are per person, so nothing else is needed) —
/// written as it is made; then the newcomers. Nothing is held but the person at hand.
/// </summary>
public sealed class JukiStories
{
    private readonly CityOptions _options;
    private readonly Households _households;
    private readonly JukiScenario _scenario;
    private readonly CityFiles _files;
    private readonly SplitMix _random;
    private readonly JukiHistoryMaker _history;
    private readonly JukiChangeMaker _changes;
    private readonly Draw[] _ordinary;
    private readonly DateOnly[] _newest;
    private int _supportSkip;
    private bool _supportPlaced;
    private int _births;

    public JukiStories(CityOptions options, Vocabulary vocabulary, Households households, JukiScenario scenario, CityFiles files)
    {
        _options = options;
        _households = households;
        _scenario = scenario;
        _files = files;
        _random = new SplitMix(options.Seed ^ 0x70C1_5EED_2B1AUL);
        _history = new JukiHistoryMaker(options, vocabulary);
        _changes = new JukiChangeMaker(options, vocabulary, households);
        var perDelta = options.JukiRowsPerDelta;
        var newcomers = (long)Math.Round(perDelta * options.TransferInRate);
        var population = options.People - scenario.Residents;
        _ordinary = [.. new[] { 2, 3 }.Select(run =>
            new Draw(Math.Max(0, perDelta - scenario.CaseRows(run) - JukiScenario.NewcomerCaseRows[run - 2] - newcomers), population))];
        // The newest 処理日 of each file, which the follow-up window counts back from: every file has rows of that day.
        _newest = [options.AsOf.AddDays(-1), _changes.ProcessedOn(2), _changes.ProcessedOn(3)];
        _supportSkip = _random.Next(3);
    }

    public void Resident(SyntheticPerson person, bool hasJpsRows)
    {
        var @case = _scenario.CaseOf(person);
        var history = _history.History(_random, person, Demand(@case), out var now);
        if (@case == JukiCase.None && hasJpsRows && !_supportPlaced && !now.DisclosureBlock && now.ResidentStatus == 1 && _supportSkip-- <= 0)
        {
            @case = JukiCase.SupportWithJpsRows;
            _supportPlaced = true;
        }

        var story = new DeltaStory(person, now, history.Count);
        var delta = new List<JukiRow>();
        var refusedDate = $"{_options.AsOf.Year:D4}0230";
        switch (@case)
        {
            case JukiCase.Move: delta.Add(_changes.Move(_random, story, 2)); break;
            case JukiCase.Marriage: delta.Add(_changes.Marry(_random, story, 3)); break;
            case JukiCase.MoveOut: delta.Add(_changes.MoveOut(_random, story, 2)); break;
            case JukiCase.Emigration: delta.Add(_changes.Emigrate(_random, story, 3)); break;
            case JukiCase.Death: delta.Add(_changes.Die(_random, story, 2)); break;
            case JukiCase.HouseholdChange: delta.Add(_changes.ChangeHousehold(_random, story, 3)); break;
            case JukiCase.MoveCancelledSameDelta: delta.Add(_changes.Move(_random, story, 2)); delta.Add(_changes.Cancel(_random, story, 2)); break;
            case JukiCase.MoveCancelledNextDelta: delta.Add(_changes.Move(_random, story, 2)); delta.Add(_changes.Cancel(_random, story, 3)); break;
            case JukiCase.MoveOutCancelled: delta.Add(_changes.MoveOut(_random, story, 3)); delta.Add(_changes.Cancel(_random, story, 3)); break;
            case JukiCase.GapReleased:
            {
                delta.Add(_changes.ChangeHousehold(_random, story, 2));
                // Processed with the others the day after AsOf, left out of delta 1 and sent with delta 2.
                var held = _changes.Correct(_random, story, 2);
                delta.Add(_changes.Move(_random, story, 2));
                delta.Add(held.SentIn(3));
                break;
            }
            case JukiCase.GapNeverFilled:
                delta.Add(_changes.Correct(_random, story, 2));
                _changes.ChangeHousehold(_random, story, 2); // never sent
                delta.Add(_changes.Move(_random, story, 2));
                break;
            case JukiCase.DuplicateOfHistory: delta.Add(history[_random.Next(history.Count)].SentIn(2)); break;
            case JukiCase.DuplicateInDelta:
            {
                var twice = _changes.Move(_random, story, 3);
                delta.Add(twice);
                delta.Add(twice);
                break;
            }
            case JukiCase.RefusedBadDate: delta.Add(_changes.Move(_random, story, 3).Refusing("changed_on", refusedDate)); break;
            case JukiCase.RefusedUnknownReason: delta.Add(_changes.Correct(_random, story, 2).Refusing("change_reason", "99")); break;
            case JukiCase.RefusedDeathStillResident: delta.Add(_changes.Die(_random, story, 3).Refusing("resident_status", "1")); break;
            case JukiCase.RefusedHistoryZero: delta.Add(_changes.Correct(_random, story, 2).Refusing("history_number", "0")); break;
            case JukiCase.RefusedThenLater:
                delta.Add(_changes.Move(_random, story, 2).Refusing("changed_on", refusedDate));
                delta.Add(_changes.ChangeHousehold(_random, story, 3));
                break;
            case JukiCase.SupportWithJpsRows: delta.Add(_changes.Support(_random, story, 2)); break;
            case JukiCase.Birth: Baby(person); break;
            case JukiCase.None:
                for (var run = 2; run <= 3; run++)
                {
                    var rows = _ordinary[run - 2].Take(_random, _random.Chance(_options.SecondChangeRate));
                    for (var i = 0; i < rows; i++) delta.Add(_changes.Ordinary(_random, story, run));
                }
                break;
        }

        // History: now and then a person's rows last-first, a line twice.
        var duplicated = @case == JukiCase.HistoryDuplicateLine ? _random.Next(history.Count) : -1;
        var written = new List<JukiRow>(history.Count + 1);
        foreach (var row in history)
        {
            written.Add(row);
            if (written.Count - 1 == duplicated || _random.Chance(_options.DuplicateLineRate)) written.Add(row);
        }
        Write(person, person.HasOpenQualification, [.. written, .. delta], descending: _random.Chance(_options.DescendingRowsRate));
    }

    /// <summary>
    /// After the residents: the newcomer cases, the row of another city, then whole newcomer households (転入) until each
    /// delta has its rows.
    /// </summary>
    public void Finish()
    {
        var next = _options.People + 2_000_000;
        var household = 0;
        string Household() => AtenaNumber.WithCheckDigit((900_000_000 + household++).ToString("D9", CultureInfo.InvariantCulture));

        // A family moving in: a parent aged 20–59 (an acquisition candidate) who moves within the city the next day, and a child.
        var family = Household();
        var parent = _households.Newcomer(_random, next++, family, "世帯主", 35, _random.Chance(0.5) ? 1 : 2, foreign: false);
        var child = _households.Newcomer(_random, next++, family, "子", 6, _random.Chance(0.5) ? 1 : 2, foreign: false, parent.Surname, parent.Address);
        var first = _changes.Entry(_random, parent, "10", 2, out var moving);
        Write(parent, false, [first, _changes.Move(_random, moving, 3)]);
        Write(child, false, [_changes.Entry(_random, child, "10", 2, out _)]);
        // From abroad, aged 20–59.
        var abroad = _households.Newcomer(_random, next++, Household(), "世帯主", 28, 2, foreign: true);
        Write(abroad, false, [_changes.Entry(_random, abroad, "11", 3, out _)]);
        // 生年月日不詳 (YYYY0000): 59 or 60 on the day, so it may be 59 (a candidate); and 60 or 61, which cannot.
        var mayBe59 = _households.Newcomer(_random, next++, Household(), "世帯主", 60, 1, foreign: true, unknownBirthYear: _options.AsOf.Year - 60);
        Write(mayBe59, false, [_changes.Entry(_random, mayBe59, "10", 3, out _)]);
        var over60 = _households.Newcomer(_random, next++, Household(), "世帯主", 61, 2, foreign: true, unknownBirthYear: _options.AsOf.Year - 61);
        Write(over60, false, [_changes.Entry(_random, over60, "10", 2, out _)]);
        var elderly = _households.Newcomer(_random, next++, Household(), "世帯主", 74, 1, foreign: false);
        Write(elderly, false, [_changes.Entry(_random, elderly, "10", 3, out _)]);
        // A row of another 市区町村 (a person this city never had): refused by the sync job, not by the reader.
        var stranger = _households.Newcomer(_random, _options.People + 4_000_000, "", "世帯主", 45, 1, foreign: false);
        var elsewhere = JukiRow.Of(new JukiSnapshot
        {
            AtenaNumber = AtenaNumber.WithCheckDigit("987654321"),
            HouseholdNumber = AtenaNumber.WithCheckDigit("987654320"),
            Relationship = "世帯主",
            Name = stranger.RegisterName,
            NameKana = stranger.RegisterKana,
            BirthDate = stranger.BirthCompact,
            Sex = stranger.Sex,
            ResidentKind = 1,
            PostalCode = "1010041",
            Address = "東京都千代田区神田須田町九丁目１番１号",
            BecameResidentOn = new DateOnly(2001, 4, 1),
            IndividualNumber = stranger.IndividualNumber,
            MunicipalityCode = _options.MunicipalityCode,
        }, 4, "30", _options.AsOf.AddDays(-2), _options.AsOf, _changes.ProcessedOn(2), 2).Refusing("municipality_code", "131016");
        _files.JukiDelta(2).Add(elsewhere);

        for (var run = 2; run <= 3; run++)
        {
            var file = _files.JukiDelta(run);
            while (file.Rows < _options.JukiRowsPerDelta)
            {
                var members = _households.Newcomers(_random, 400_000_000 + household++, next);
                next += members.Count;
                var movedIn = _changes.ProcessedOn(run).AddDays(-_random.Between(1, 10));
                foreach (var person in members.TakeWhile(_ => file.Rows < _options.JukiRowsPerDelta))
                {
                    var reason = person.IsForeign && _random.Chance(_options.ForeignFromAbroadRate) ? "11" : "10";
                    Write(person, false, [_changes.Entry(_random, person, reason, run, out _, movedIn)]);
                }
            }
        }
    }

    /// <summary>A baby of the resident's household, born a few days before AsOf and registered the day after.</summary>
    private void Baby(SyntheticPerson parent)
    {
        var baby = _households.Newcomer(_random, _options.People + 3_000_000 + _births++, parent.HouseholdNumber, "子", 0, _random.Chance(0.5) ? 1 : 2,
            foreign: false, parent.Surname, parent.Address, bornOn: _options.AsOf.AddDays(-_random.Between(3, 12)));
        baby.AddressSuffix = parent.AddressSuffix;
        Write(baby, false, [_changes.Entry(_random, baby, "12", 2, out _)]);
    }

    /// <summary>A person's rows to their files (the delta rows now and then last-first), and the follow-ups they must raise.</summary>
    /// <param name="hasOpenQualification">Only residents can be on members.csv: newcomers and babies never are.</param>
    private void Write(SyntheticPerson person, bool hasOpenQualification, List<JukiRow> rows, bool descending = false)
    {
        foreach (var followUp in JukiFollowUpRules.For(person.AtenaNumber, hasOpenQualification, person.BirthCompact, rows, _newest))
            _files.FollowUp(followUp);
        for (var run = 1; run <= 3; run++)
        {
            var ofRun = rows.Where(r => r.Run == run).ToList();
            if (run == 1 ? descending : _random.Chance(_options.ReversedDeltaRate)) ofRun.Reverse();
            var file = run == 1 ? _files.JukiHistory : _files.JukiDelta(run);
            foreach (var row in ofRun) file.Add(row);
        }
    }

    private HistoryDemand Demand(JukiCase @case) => @case switch
    {
        JukiCase.NewestHistoryRow => new HistoryDemand { MinLength = 2, LastProcessedOn = _options.AsOf.AddDays(-1) },
        JukiCase.WindowEdgeInside => new HistoryDemand { LastReason = "30", LastProcessedOn = _options.AsOf.AddDays(-(JukiFollowUpRules.WindowDays + 1)) },
        JukiCase.WindowEdgeOutside => new HistoryDemand { LastReason = "30", LastProcessedOn = _options.AsOf.AddDays(-(JukiFollowUpRules.WindowDays + 2)) },
        JukiCase.RecentTransferIn => new HistoryDemand { EntryOn = _options.AsOf.AddDays(-40) },
        JukiCase.HistoryNumberChange => new HistoryDemand { LastReason = "34" },
        JukiCase.HistoryBackDated => new HistoryDemand { MinLength = 3, BackDatedLast = true },
        JukiCase.RefusedBadDate => new HistoryDemand { Support = true },
        _ => HistoryDemand.None,
    };
}
