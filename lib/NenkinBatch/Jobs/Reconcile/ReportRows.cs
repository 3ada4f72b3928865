using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats.Reports;
using NenkinBatch.Matching;
using NenkinBatch.Persistence.Reconcile;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Reconcile;

/// <summary>
/// Pass 2: turns each row and its decision into a report row — 判定, evidence, differences, the proposed action —
/// and collects the safe changes that go with it. What was proposed is remembered in memory (a number filled, a
/// period corrected), so a second row about the same thing finds it done, in a dry run exactly as with --apply:
/// both give the same report.
/// </summary>
internal sealed class ReportRows(JobContext context, Matcher matcher, List<ListFile> files, bool apply) : IAsyncDisposable
{
    private HashSet<string>? _blockedPlaces;

    /// <summary>Whether the address is, in canonical form, where a person under 支援措置 lives or lived (住所履歴).</summary>
    private bool IsBlockedPlace(string? address)
    {
        _blockedPlaces ??= matcher.Index.People.Where(p => p.DisclosureBlock)
            .SelectMany(p => p.FormerAddresses.Select(f => f.Address).Prepend(p.Candidate.Address))
            .Select(a => AddressCanon.Parse(a).Canonical).ToHashSet(StringComparer.Ordinal);
        return address is not null && _blockedPlaces.Count > 0 && _blockedPlaces.Contains(AddressCanon.Parse(address).Canonical);
    }

    /// <summary>How far apart JPS's and the city's date of one 資格 event may be and still be the same event.</summary>
    public const int SameEventDays = 31;

    private readonly string _run = context.RunId.ToString(CultureInfo.InvariantCulture);
    private readonly Dictionary<long, string> _fileNames = files.ToDictionary(f => f.FileId, f => f.FileName);
    private readonly CodeTable _filings = context.Codes["filingKind"];
    private readonly CodeTable _results = context.Codes["processingResult"];
    private readonly CodeTable _sex = context.Codes.Sex;
    private readonly Dictionary<int, string> _filledNumbers = [];
    private readonly HashSet<string> _numbersTaken = new(StringComparer.Ordinal);
    private readonly List<SafeChange> _pending = [];

    // A million rows share a few hundred evidence texts, scores and tens of thousands of birth dates: each written once.
    private readonly Dictionary<Levels, string> _evidence = [];
    private readonly Dictionary<double, string> _scores = [];
    private readonly Dictionary<DateOnly, string> _dates = [];

    /// <summary>The safe changes made since the last call (<c>decide</c> applies them itself, row by row).</summary>
    public List<SafeChange> TakeChanges()
    {
        var changes = _pending.ToList();
        _pending.Clear();
        return changes;
    }

    /// <summary>Safe changes and decidable rows made and not yet kept.</summary>
    public int PendingChanges => _pending.Count + _decidable.Count;

    private string Explain(Levels levels) => Cached(_evidence, levels, _explainText ??= matcher.Comparer.ExplainText);
    private Func<Levels, string>? _explainText;

    private string Score(double score) => Cached(_scores, score, Matcher.Format);

    private static string Cached<TKey>(Dictionary<TKey, string> cache, TKey key, Func<TKey, string> make) where TKey : notnull
    {
        ref var text = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(cache, key, out var exists);
        if (!exists) text = make(key);
        return text!;
    }

    /// <summary>
    /// The evidence of a comparison; where a former address or name (住所履歴, 氏名履歴) agreed instead of the current one, it says
    /// so and until when that value was the person's (the former value itself is not repeated).
    /// </summary>
    private string Evidence(Scored scored)
    {
        var text = Explain(scored.Levels);
        if (scored.FormerAddress is { } address)
        {
            var at = text.StartsWith("住所", StringComparison.Ordinal) ? 0 : text.IndexOf("; 住所", StringComparison.Ordinal) is var i and >= 0 ? i + 2 : -1;
            if (at >= 0 && text.IndexOf('(', at) is var open and > 0)
                text = string.Concat(text.AsSpan(0, at), $"旧住所一致（{Until(address.Until)}まで）", text.AsSpan(open));
        }
        if (scored.FormerName is { } name) text += $"; 旧氏名で一致（{Until(name.Until)}まで）";
        return text;
    }

    private static string Until(DateOnly? day) => day is { } d ? CalendarDate.ToIso(d) : "不明";

    /// <param name="supersededBy">The line applied instead of this one, when a later row of the lists reports the same event.</param>
    public ReconcileReportRow Make(StoredJpsRow row, MatchDecision decision, (long FileId, long Line)? supersededBy)
    {
        var result = row.Result.ToString(CultureInfo.InvariantCulture);
        var returned = row.Result == 1;
        Verdict verdict;
        string atena, score, evidence, differences, action;
        if (decision.Kind == MatchKind.Automatic)
        {
            var best = decision.Best!.Value;
            var person = matcher.Index[best.Person];
            atena = person.AtenaNumber;
            score = Score(best.Score);
            evidence = decision.ReviewReason is { } basis ? $"{basis}; {Evidence(best)}" : Evidence(best);
            if (returned)
            {
                verdict = Verdict.Returned;
                differences = Returned(row);
                action = "返戻の内容を確認し、届出人に連絡して再提出を依頼する";
            }
            else
            {
                var (found, actions) = Assess(row, best, person, supersededBy);
                verdict = found.Count == 0 ? Verdict.Match : Verdict.Differs;
                differences = string.Join("; ", found);
                if (row.Result == 0) actions.Add("機構の処理済を記録");
                else actions.Add("機構で保留中（処理結果を待つ）");
                action = string.Join("; ", actions);
            }
        }
        else
        {
            verdict = returned ? Verdict.Returned : decision.Kind == MatchKind.Review ? Verdict.Review : Verdict.NotOnFile;
            atena = "";
            var top = decision.Others.Count > 0 ? decision.Others[0] : (Scored?)null;
            score = top is { } t ? Score(t.Score) : "";
            evidence = top is { } e ? Evidence(e) : "";
            differences = returned ? Returned(row) : decision.ReviewReason ?? "";
            action = returned ? "返戻の内容を確認し、届出人に連絡して再提出を依頼する（該当者は職員が確認）"
                : decision.Kind == MatchKind.Review ? "候補と住基の記録を確認し、該当者を決めて手作業で照合する"
                : "市の記録に該当者がいません。転入前の届出・他市区町村の届出でないか確認する";
        }
        var decidable = DecisionColumns.IsDecidable(verdict);
        // On a row a clerk decides, the candidates are numbered as the workbook's 判断 names them (候補1, 候補2, …).
        var others = decision.Others.Count == 0 ? "" : string.Join("; ", decision.Others.Where(o => o.Person != decision.Person)
            .Select((o, i) => $"{(decidable ? $"候補{i + 1} " : "")}{matcher.Index[o.Person].AtenaNumber}({Score(o.Score)})"));
        var report = new ReconcileReportRow(_run, _fileNames[row.FileId], row.LineNumber.ToString(CultureInfo.InvariantCulture), _filings.Describe(row.FilingCode),
            _results.Entries.GetValueOrDefault(result, result), row.BasicPensionNumber ?? "", row.KanjiName ?? "", row.KanaName,
            Cached(_dates, row.BirthDate, WarekiCodec.Describe), verdict, atena, score, evidence, differences, action, others)
        { BirthDateValue = row.BirthDate };
        var seq = _seq++;
        if (!decidable) return report;
        var fingerprint = RowFingerprint.Of(context.RunId, row.FileId, row.LineNumber, report.Cells());
        _decidable.Add(new DecidableRow(context.RunId, seq, row.FileId, row.LineNumber, verdict.Label(), fingerprint.Digest,
            decision.Others.Select(o => new CandidateVersion(matcher.Index[o.Person].AtenaNumber, matcher.Index[o.Person].UpdatedRunId)).ToList()));
        return report with { Fingerprint = fingerprint };
    }

    private long _seq;
    private readonly List<DecidableRow> _decidable = [];

    private static string Returned(StoredJpsRow row) =>
        string.Join(" ", new[] { row.ErrorCode, row.ErrorText }.Where(s => !string.IsNullOrEmpty(s))) is { Length: > 0 } text ? $"返戻理由: {text}" : "返戻理由の記載なし";

    /// <summary>What differs between the row and the person it is matched to, and what to do about each difference.</summary>
    private (List<string> Differences, List<string> Actions) Assess(StoredJpsRow row, Scored match, PersonOnFile person, (long FileId, long Line)? supersededBy)
    {
        var differences = new List<string>();
        var actions = new List<string>();
        var city = person.Candidate;
        var levels = match.Levels;
        var processed = row.Result == 0;

        var cityNumber = city.BasicPensionNumber ?? _filledNumbers.GetValueOrDefault(match.Person);
        if (row.BasicPensionNumber is { } number && cityNumber is null)
        {
            var holder = matcher.Index.WithPensionNumber(number).Select(i => matcher.Index[i].AtenaNumber).Order(StringComparer.Ordinal).FirstOrDefault();
            if (holder is not null || _numbersTaken.Contains(number))
            {
                differences.Add($"基礎年金番号: 機構={number} 市=なし（宛名番号 {holder ?? "（この照合で記録予定）"} に同じ番号）");
                actions.Add("基礎年金番号の重複を確認する");
            }
            else
            {
                differences.Add($"基礎年金番号: 機構={number} 市=なし");
                if (processed)
                {
                    actions.Add("市の記録に基礎年金番号を記録");
                    _filledNumbers[match.Person] = number;
                    _numbersTaken.Add(number);
                    _pending.Add(new FillPensionNumber(person.AtenaNumber, number, person.UpdatedRunId));
                }
                else actions.Add("処理済になってから基礎年金番号を記録");
            }
        }
        if (levels.Birth is BirthLevel.Near or BirthLevel.Different)
        {
            differences.Add($"生年月日: 機構={CalendarDate.ToIso(row.BirthDate)} 市={Birth(city.BirthDate)}");
            actions.Add("生年月日を住基と照らして確認する");
        }
        if (levels.Sex == SexLevel.Differs)
        {
            differences.Add($"性別: 機構={_sex.Entries.GetValueOrDefault(row.Sex.ToString(CultureInfo.InvariantCulture))} 市={_sex.Entries.GetValueOrDefault(city.Sex.ToString(CultureInfo.InvariantCulture))}");
            actions.Add("性別を確認する");
        }
        if (levels.Kana == KanaLevel.Different || levels.Kanji == KanjiLevel.Different || levels.Alphabet == AlphabetLevel.Differs)
        {
            differences.Add($"氏名: 機構={row.KanjiName}（{row.KanaName}） 市={city.Name}（{city.NameKana}）");
            actions.Add("氏名変更の届出状況を確認する");
        }
        if (match.FormerAddress is { } formerAddress)
        {
            differences.Add($"住所: 機構は旧住所（{Until(formerAddress.Until)}まで）");
            actions.Add("住所変更が機構に届いているか確認する");
        }
        if (match.FormerName is { } formerName)
        {
            differences.Add($"氏名: 機構は旧氏名（{Until(formerName.Until)}まで）");
            actions.Add("氏名変更が機構に届いているか確認する");
        }
        if (levels.Address is AddressLevel.SamePlace or AddressLevel.SameTown or AddressLevel.Different)
        {
            // A person under 支援措置: neither address is shown (the list's is the person's, as it was or as it is); nor is an address
            // where such a person lives, on anyone's row (a household member the register did not flag).
            differences.Add(person.DisclosureBlock || IsBlockedPlace(row.Address) || IsBlockedPlace(city.Address)
                ? $"住所: {Formats.Juki.DisclosureBlock.Hidden}"
                : $"住所: 機構={row.Address} 市={city.Address}");
            actions.Add("機構の住所が古い場合は住所変更の届出状況を確認する");
        }
        if (processed)
        {
            AssessPeriods(row, person, differences, actions, change: supersededBy is null);
            if (supersededBy is { } later)
                actions.Add($"同じ届出の後の処理結果（{_fileNames[later.FileId]} {later.Line.ToString(CultureInfo.InvariantCulture)}行目）を適用するため、この行の資格は変更しない");
        }
        if (processed) _pending.Add(RecordFiling.Of(person.AtenaNumber, row));
        return (differences, actions);
    }

    /// <summary>資格: a 処理済 row's 取得日/種別 and 喪失日/事由 against the city's periods; a near date is the same event, corrected.</summary>
    /// <param name="change">False for a row another row about the same event supersedes: its differences are reported, nothing is changed.</param>
    private void AssessPeriods(StoredJpsRow row, PersonOnFile person, List<string> differences, List<string> actions, bool change)
    {
        var periods = person.Periods;
        if (row.AcquiredOn is { } acquired)
        {
            var same = periods.FindIndex(p => p.AcquiredOn == acquired);
            if (same >= 0)
            {
                var period = periods[same];
                if (row.InsuredCategory is { } category && category != period.InsuredCategory)
                {
                    differences.Add($"被保険者種別: 機構={category} 市={period.InsuredCategory}");
                    Correct(person, same, period with { InsuredCategory = category }, "被保険者種別を機構の処理結果に合わせる", actions, change);
                }
            }
            else
            {
                var near = Nearest(periods, p => p.AcquiredOn, acquired);
                if (near >= 0)
                {
                    var period = periods[near];
                    differences.Add($"資格取得年月日: 機構={CalendarDate.ToIso(acquired)} 市={CalendarDate.ToIso(period.AcquiredOn)}");
                    Correct(person, near, period with
                    {
                        AcquiredOn = acquired, InsuredCategory = row.InsuredCategory ?? period.InsuredCategory,
                        AcquisitionReason = row.AcquisitionReason ?? period.AcquisitionReason,
                    }, "資格取得年月日を機構の処理結果に合わせる", actions, change);
                }
                else
                {
                    differences.Add($"資格取得年月日: 機構={CalendarDate.ToIso(acquired)} 市=記録なし");
                    actions.Add("資格の記録を確認し、必要なら資格を登録する");
                }
            }
        }
        if (row.LostOn is { } lost)
        {
            var same = periods.FindIndex(p => p.LostOn == lost);
            if (same >= 0)
            {
                var period = periods[same];
                if (row.LossReason is { } reason && reason != period.LossReason)
                {
                    differences.Add($"喪失事由: 機構={reason} 市={period.LossReason ?? "なし"}");
                    Correct(person, same, period with { LossReason = reason }, "喪失事由を機構の処理結果に合わせる", actions, change);
                }
            }
            else
            {
                var target = periods.FindLastIndex(p => p.AcquiredOn <= lost && (p.LostOn is null || Math.Abs(p.LostOn.Value.DayNumber - lost.DayNumber) <= SameEventDays));
                if (target >= 0)
                {
                    var period = periods[target];
                    differences.Add($"資格喪失年月日: 機構={CalendarDate.ToIso(lost)} 市={(period.LostOn is { } l ? CalendarDate.ToIso(l) : "なし")}");
                    Correct(person, target, period with { LostOn = lost, LossReason = row.LossReason ?? period.LossReason },
                        "資格喪失年月日を機構の処理結果に合わせる", actions, change);
                }
                else
                {
                    differences.Add($"資格喪失年月日: 機構={CalendarDate.ToIso(lost)} 市=該当する資格なし");
                    actions.Add("資格の記録を確認する");
                }
            }
        }
    }

    /// <summary>The period whose date is nearest the given one within <see cref="SameEventDays"/>, and whose change would not collide with another period.</summary>
    private static int Nearest(List<PeriodOnFile> periods, Func<PeriodOnFile, DateOnly> date, DateOnly target)
    {
        var best = -1;
        for (var i = 0; i < periods.Count; i++)
        {
            var distance = Math.Abs(date(periods[i]).DayNumber - target.DayNumber);
            if (distance <= SameEventDays && (best < 0 || distance < Math.Abs(date(periods[best]).DayNumber - target.DayNumber))) best = i;
        }
        return best;
    }

    private void Correct(PersonOnFile person, int index, PeriodOnFile after, string action, List<string> actions, bool change)
    {
        if (!change) return;
        actions.Add(action);
        var before = person.Periods[index];
        person.Periods[index] = after with { UpdatedRunId = context.RunId };
        _pending.Add(new UpdatePeriod(person.AtenaNumber, before, after));
    }

    /// <summary>
    /// Keeps the safe changes collected so far as the next chunk of the run's plan (with --apply; a report-only run just
    /// forgets them). Nothing is changed yet: the plan is applied once the report is written (<see cref="ReconcileJob"/>).
    /// </summary>
    public async Task KeepAsync()
    {
        await KeepDecidableAsync();
        if (_pending.Count == 0) return;
        if (!apply)
        {
            _pending.Clear();
            return;
        }
        var changes = _pending.ToList();
        _pending.Clear();
        var chunk = PlannedChunks++;
        await context.CommitChunkAsync(async (connection, transaction, ct) =>
        {
            await ReconcilePlans.AddChunkAsync(connection, transaction, context.RunId, chunk, changes, ct);
            return new RunCounts();
        }, "plan:" + chunk.ToString(CultureInfo.InvariantCulture), []);
    }

    /// <summary>
    /// Stores the rows a clerk may decide (in a dry run too: the morning's workbook is a dry run's), so that
    /// <c>nenkin-reconcile decide</c> can check a decision against the row the clerk saw. They are stored on a task of their
    /// own, beside the report being written (the rows are independent of each other and of the run's chunks; a million-row
    /// list has hundreds of thousands of them): <see cref="StoredAsync"/> waits for them before the run counts as done.
    /// </summary>
    private async Task KeepDecidableAsync()
    {
        if (_decidable.Count == 0) return;
        var rows = _decidable.ToList();
        _decidable.Clear();
        _storing ??= Task.Run(StoreDecidableAsync);
        try
        {
            // Waits while a few chunks are in line.
            await _toStore.Writer.WriteAsync(rows);
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // The storing stopped: its own exception (the database gone, the lock lost) says what to do, not the channel's.
            await _storing;
            throw;
        }
    }

    private readonly System.Threading.Channels.Channel<List<DecidableRow>> _toStore =
        System.Threading.Channels.Channel.CreateBounded<List<DecidableRow>>(new System.Threading.Channels.BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });

    private Task? _storing;
    private readonly CancellationTokenSource _abandon = new();

    private async Task StoreDecidableAsync()
    {
        try
        {
            await foreach (var rows in _toStore.Reader.ReadAllAsync(_abandon.Token))
                await context.CommitBesideAsync((connection, transaction, ct) => ClerkDecisions.StoreRowsAsync(connection, transaction, context.Municipality, rows, ct));
        }
        catch (Exception e)
        {
            _toStore.Writer.TryComplete(e);
            throw;
        }
    }

    /// <summary>Waits until every decidable row made so far is stored (<see cref="KeepAsync"/> first); throws what stopped the storing.</summary>
    public async Task StoredAsync()
    {
        await KeepDecidableAsync();
        _toStore.Writer.TryComplete();
        if (_storing is not null) await _storing;
    }

    /// <summary>A run that stops before <see cref="StoredAsync"/> stores no more (what is stored belongs to a report never published).</summary>
    public async ValueTask DisposeAsync()
    {
        _toStore.Writer.TryComplete();
        if (_storing is { IsCompleted: false } storing)
        {
            await _abandon.CancelAsync();
            try
            {
                await storing;
            }
            catch (Exception)
            {
                // The run is failing already, for this or another reason, and reports its own; what stopped the storing must not replace it.
            }
        }
        _abandon.Dispose();
    }

    /// <summary>How many chunks of changes the plan has kept.</summary>
    public int PlannedChunks { get; private set; }

    /// <summary>
    /// 機構未反映: a 資格 取得 or 喪失 on the city's file inside the period the lists cover, at least the configured days
    /// before its end, with no row of the lists about it. One report row per such change, in 宛名番号 order.
    /// </summary>
    public IEnumerable<ReconcileReportRow> Unreflected(Decided decided, int afterDays)
    {
        var (from, to) = decided.Window;
        if (from > to) yield break;
        var until = to.AddDays(-afterDays);
        var listNames = string.Join("、", files.Select(f => f.FileName));
        foreach (var i in Enumerable.Range(0, matcher.Index.Count).OrderBy(matcher.Index.AtenaRank))
        {
            var person = matcher.Index[i];
            foreach (var period in person.Periods)
            {
                if (period.AcquiredOn >= from && period.AcquiredOn <= until && !decided.Filed.Contains((i, "01")))
                    yield return Unreflected(person, "01", $"資格取得年月日: 市={CalendarDate.ToIso(period.AcquiredOn)} 機構=該当行なし", listNames);
                if (period.LostOn is { } lost && lost >= from && lost <= until && !decided.Filed.Contains((i, "02")))
                    yield return Unreflected(person, "02", $"資格喪失年月日: 市={CalendarDate.ToIso(lost)} 機構=該当行なし", listNames);
            }
        }
    }

    private ReconcileReportRow Unreflected(PersonOnFile person, string filingCode, string difference, string listNames)
    {
        var city = person.Candidate;
        return new ReconcileReportRow(_run, listNames, "", _filings.Describe(filingCode), "", city.BasicPensionNumber ?? "", city.Name, city.NameKana,
            Birth(city.BirthDate), Verdict.Unreflected, person.AtenaNumber, "", "", difference, "届書を機構へ送付したか、送付済みなら機構での処理状況を確認する", "")
        { BirthDateValue = city.BirthDate.Date };
    }

    private static string Birth(BirthDate birth) => birth.Date is { } date ? WarekiCodec.Describe(date)
        : $"{birth.Year:D4}-{(birth.Month is { } m ? m.ToString("D2", CultureInfo.InvariantCulture) : "??")}-??（不詳）";
}
