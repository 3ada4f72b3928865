using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Reports;

namespace NenkinBatch.Synthetic;

/// <summary>What became of a group of list rows.</summary>
public sealed class Outcomes
{
    public long Rows { get; private set; }
    /// <summary>Matched automatically to the person the row is about.</summary>
    public long Right { get; private set; }
    /// <summary>Matched automatically to someone else (for a row about nobody on file: to anyone).</summary>
    public long Wrong { get; private set; }
    /// <summary>要確認.</summary>
    public long Review { get; private set; }
    /// <summary>市未登録.</summary>
    public long NotOnFile { get; private set; }
    /// <summary>返戻 without an automatic match (its candidates are for a clerk, like 要確認).</summary>
    public long Returned { get; private set; }

    /// <summary>Automatically to the right person, or to a clerk (要確認, or 返戻 with candidates): never lost as 市未登録.</summary>
    public long Found { get; private set; }

    internal void Count(Outcome outcome)
    {
        Rows++;
        switch (outcome.Kind)
        {
            case OutcomeKind.Right: Right++; break;
            case OutcomeKind.Wrong: Wrong++; break;
            case OutcomeKind.Review: Review++; break;
            case OutcomeKind.NotOnFile: NotOnFile++; break;
            default: Returned++; break;
        }
        if (outcome.Kind is OutcomeKind.Right or OutcomeKind.Review || (outcome.Kind == OutcomeKind.Returned && outcome.HadCandidates)) Found++;
    }

    internal void Add(Outcomes other)
    {
        Rows += other.Rows;
        Right += other.Right;
        Wrong += other.Wrong;
        Review += other.Review;
        NotOnFile += other.NotOnFile;
        Returned += other.Returned;
        Found += other.Found;
    }

    public double Share(long count) => Rows == 0 ? 0 : (double)count / Rows;
}

internal enum OutcomeKind { Right, Wrong, Review, NotOnFile, Returned }

internal readonly record struct Outcome(OutcomeKind Kind, bool HadCandidates);

/// <summary>
/// How well a reconciliation report matched a generated list, measured against the generator's truth.csv: the figures the
/// matcher is held to (precision of automatic matches, share of on-file rows matched automatically, share sent to 要確認,
/// share of misspelt foreign residents found), and where it fails: wrong automatic matches by the slips their rows
/// carried, what became of the rows of each case, 要確認 by its reason.
/// </summary>
public sealed partial class MatchAccuracy
{
    /// <summary>What the team holds the matcher to (on 5 seeds × 20,000 people).</summary>
    public const double WantedRecall = 0.97, WantedReviewShare = 0.04, WantedMisspeltFound = 0.95;

    /// <summary>A clerk's misspellings of a foreign resident's name.</summary>
    public static readonly IReadOnlyList<string> MisspeltCases = ["alphabet-typo", "alphabet-dropped-name", "alphabet-swapped", "kana-typo"];

    /// <summary>Cases where something besides the name disagrees with the register: such rows are not "everything else agreeing".</summary>
    public static readonly IReadOnlyList<string> DisagreeingCases =
        ["old-address", "moved-out", "birth-typo", "birth-unknown-in-register", "wrong-pension-number", "maiden-name", "homophone", "returned"];

    private const string NoCase = "(none)";

    /// <summary>A row about someone on file with no number the city has for them: only the 4情報 can find them.</summary>
    private const string NoNumber = "numbers:none";

    public long Rows { get; private set; }
    /// <summary>Rows about a person on file (truth.csv's atena_number; with the register synced, also resident_atena_number).</summary>
    public long OnFileRows { get; private set; }
    /// <summary>Rows given a 宛名番号 (一致, 差異あり, or 返戻 with a safe match).</summary>
    public long Automatic { get; private set; }
    public long AutomaticCorrect { get; private set; }
    public long OnFileAutomatic { get; private set; }
    public long Review { get; private set; }
    public List<string> WrongMatches { get; } = [];
    public SortedDictionary<string, long> WrongByCase { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> RowsByCase { get; } = new(StringComparer.Ordinal);
    /// <summary>Rows about a person on file, by case.</summary>
    public SortedDictionary<string, Outcomes> OnFileByCase { get; } = new(StringComparer.Ordinal);
    /// <summary>Rows about nobody on file, by case.</summary>
    public SortedDictionary<string, Outcomes> NobodyByCase { get; } = new(StringComparer.Ordinal);
    /// <summary>要確認 rows by the first clause of their reason (the report's 差異), numbers written #.</summary>
    public SortedDictionary<string, long> ReviewByReason { get; } = new(StringComparer.Ordinal);
    /// <summary>Foreign residents on file with a misspelt name and everything else agreeing: all of them, by misspelling, and those with no number.</summary>
    public Outcomes Misspelt { get; } = new();
    public SortedDictionary<string, Outcomes> MisspeltByCase { get; } = new(StringComparer.Ordinal);

    public double Precision => Automatic == 0 ? 1 : (double)AutomaticCorrect / Automatic;
    public double Recall => OnFileRows == 0 ? 1 : (double)OnFileAutomatic / OnFileRows;
    public double ReviewShare => Rows == 0 ? 0 : (double)Review / Rows;
    public double MisspeltFound => Misspelt.Rows == 0 ? 1 : Misspelt.Share(Misspelt.Found);
    public long Wrong => Automatic - AutomaticCorrect;

    public static Task<MatchAccuracy> MeasureAsync(string truthCsv, string reportCsv, string jpsFileName, CancellationToken cancellationToken = default) =>
        MeasureAsync(truthCsv, reportCsv, jpsFileName, registerSynced: false, cancellationToken);

    /// <param name="registerSynced">
    /// The 住基 history was synced before reconciling: every resident is a person on file, so a row about a resident the 国民年金
    /// file does not have (truth.csv's resident_atena_number) is right when matched to them.
    /// </param>
    public static async Task<MatchAccuracy> MeasureAsync(string truthCsv, string reportCsv, string jpsFileName, bool registerSynced,
        CancellationToken cancellationToken = default)
    {
        var truth = new Dictionary<long, (string Atena, string Cases)>();
        await foreach (var t in HeaderedCsv.ReadAsync(truthCsv, "truth", CityFiles.TruthColumns, new HashSet<string> { "resident_atena_number" }, 0, null, cancellationToken))
        {
            if (t[0] != "jps") continue;
            var atena = t[2] ?? (registerSynced ? t[4] : null) ?? "";
            truth[long.Parse(t[1]!, CultureInfo.InvariantCulture)] = (atena, t[3] ?? "");
        }
        var accuracy = new MatchAccuracy();
        await foreach (var r in HeaderedCsv.ReadAsync(reportCsv, "reconcile-report", ["ファイル", "行番号", "判定", "宛名番号", "一致度", "差異"], 0, null, cancellationToken))
        {
            if (r[0] != jpsFileName || r[1] is not { } line) continue;
            // truth.csv counts data rows; the report's 行番号 is the file's own line, the header being line 1.
            var (atena, cases) = truth[long.Parse(line, CultureInfo.InvariantCulture) - 1];
            accuracy.Count(line, atena, cases, r[2] ?? "", r[3], r[4] is not null, r[5]);
        }
        return accuracy;
    }

    private void Count(string line, string atena, string caseList, string verdict, string? matched, bool hadCandidates, string? differences)
    {
        var cases = caseList.Split(';', StringSplitOptions.RemoveEmptyEntries);
        Rows++;
        foreach (var c in cases) RowsByCase[c] = RowsByCase.GetValueOrDefault(c) + 1;
        if (atena.Length > 0) OnFileRows++;
        if (verdict == Verdict.Review.Label())
        {
            Review++;
            var reason = FirstClause(differences);
            ReviewByReason[reason] = ReviewByReason.GetValueOrDefault(reason) + 1;
        }
        OutcomeKind kind;
        if (matched is not null)
        {
            Automatic++;
            if (atena.Length > 0) OnFileAutomatic++;
            if (matched == atena)
            {
                AutomaticCorrect++;
                kind = OutcomeKind.Right;
            }
            else
            {
                kind = OutcomeKind.Wrong;
                WrongMatches.Add($"line {line}: matched {matched}, truth {(atena.Length == 0 ? "not on file" : atena)} ({caseList})");
                foreach (var c in cases.Length == 0 ? [NoCase] : cases) WrongByCase[c] = WrongByCase.GetValueOrDefault(c) + 1;
            }
        }
        else if (verdict == Verdict.Review.Label()) kind = OutcomeKind.Review;
        else if (verdict == Verdict.Returned.Label()) kind = OutcomeKind.Returned;
        else kind = OutcomeKind.NotOnFile;
        var outcome = new Outcome(kind, hadCandidates);

        var byCase = atena.Length > 0 ? OnFileByCase : NobodyByCase;
        foreach (var c in cases.Length == 0 ? [NoCase] : cases) Of(byCase, c).Count(outcome);
        if (atena.Length > 0 && cases.Contains("foreign") && cases.Any(MisspeltCases.Contains) && !cases.Any(DisagreeingCases.Contains))
        {
            Misspelt.Count(outcome);
            foreach (var c in cases.Where(c => MisspeltCases.Contains(c) || c == NoNumber)) Of(MisspeltByCase, c).Count(outcome);
        }
    }

    private static Outcomes Of(SortedDictionary<string, Outcomes> byCase, string key) =>
        byCase.TryGetValue(key, out var outcomes) ? outcomes : byCase[key] = new Outcomes();

    /// <summary>The reason up to its first 、 or ; with its numbers (scores, 宛名番号) written #, so that alike reasons group.</summary>
    public static string FirstClause(string? reason)
    {
        if (string.IsNullOrEmpty(reason)) return "(no reason)";
        var end = reason.IndexOfAny(['、', ';', '；', '。']);
        return Numbers().Replace(end < 0 ? reason : reason[..end], "#").Trim();
    }

    [GeneratedRegex(@"[0-9０-９]+(?:\.[0-9]+)?")]
    private static partial Regex Numbers();

    /// <summary>Several measurements as one (the seeds of a run).</summary>
    public static MatchAccuracy Sum(IEnumerable<MatchAccuracy> parts)
    {
        var sum = new MatchAccuracy();
        foreach (var p in parts)
        {
            sum.Rows += p.Rows;
            sum.OnFileRows += p.OnFileRows;
            sum.Automatic += p.Automatic;
            sum.AutomaticCorrect += p.AutomaticCorrect;
            sum.OnFileAutomatic += p.OnFileAutomatic;
            sum.Review += p.Review;
            sum.WrongMatches.AddRange(p.WrongMatches);
            Merge(sum.WrongByCase, p.WrongByCase);
            Merge(sum.RowsByCase, p.RowsByCase);
            Merge(sum.ReviewByReason, p.ReviewByReason);
            Merge(sum.OnFileByCase, p.OnFileByCase);
            Merge(sum.NobodyByCase, p.NobodyByCase);
            Merge(sum.MisspeltByCase, p.MisspeltByCase);
            sum.Misspelt.Add(p.Misspelt);
        }
        return sum;
    }

    private static void Merge(SortedDictionary<string, long> into, SortedDictionary<string, long> from)
    {
        foreach (var (key, value) in from) into[key] = into.GetValueOrDefault(key) + value;
    }

    private static void Merge(SortedDictionary<string, Outcomes> into, SortedDictionary<string, Outcomes> from)
    {
        foreach (var (key, value) in from) Of(into, key).Add(value);
    }

    /// <summary>The figures, whether each meets what the team wants, the wrong automatic matches by case, 要確認 by reason, the misspelt.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"rows={Rows:N0} on-file={OnFileRows:N0} automatic={Automatic:N0} precision={Precision:P3} recall(on-file matched automatically)={Recall:P2} review={Review:N0} ({ReviewShare:P2}) wrong={Wrong:N0}");
        text.Append(CultureInfo.InvariantCulture,
            $"\n  wanted: wrong automatic {Wrong:N0} (0) {Met(Wrong == 0)}; on file matched automatically {Recall:P2} (≥ {WantedRecall:P0}) {Met(Recall >= WantedRecall)}; "
            + $"要確認 {ReviewShare:P2} of rows (≤ {WantedReviewShare:P0}) {Met(ReviewShare <= WantedReviewShare)}; "
            + $"misspelt foreign residents found {MisspeltFound:P1} of {Misspelt.Rows:N0} (≥ {WantedMisspeltFound:P0}) {Met(MisspeltFound >= WantedMisspeltFound)}");
        text.Append("\n  wrong automatic matches by case: ")
            .Append(WrongByCase.Count == 0 ? "none" : string.Join(", ", WrongByCase.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:N0}"))));
        text.Append("\n  要確認 by reason (share of all rows): ")
            .Append(ReviewByReason.Count == 0 ? "none" : string.Join("; ", ReviewByReason.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => string.Create(CultureInfo.InvariantCulture, $"{(double)r.Value / Rows:P2} ({r.Value:N0}) {r.Key}"))));
        text.Append("\n  misspelt foreign residents, everything else agreeing, found (automatic or 要確認): ")
            .Append(Misspelt.Rows == 0 ? "none" : string.Join(", ", MisspeltByCase.Select(c =>
                string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value.Found:N0}/{c.Value.Rows:N0}"))));
        return text.ToString();
    }

    private static string Met(bool met) => met ? "met" : "NOT MET";

    /// <summary>Per case, what became of the rows: those about a person on file, then those about nobody on file.</summary>
    public string Details()
    {
        var text = new StringBuilder();
        var width = Math.Max(24, OnFileByCase.Keys.Concat(NobodyByCase.Keys).Select(k => k.Length).DefaultIfEmpty(0).Max());
        void Table(string title, SortedDictionary<string, Outcomes> byCase)
        {
            text.Append("\n  ").Append(title)
                .Append(CultureInfo.InvariantCulture, $"\n    {"case".PadRight(width)} {"rows",7} {"right",8} {"wrong",6} {"review",8} {"not-on-file",11} {"returned",8}");
            foreach (var (key, o) in byCase)
                text.Append(CultureInfo.InvariantCulture,
                    $"\n    {key.PadRight(width)} {o.Rows,7:N0} {o.Share(o.Right),8:P1} {o.Wrong,6:N0} {o.Share(o.Review),8:P1} {o.Share(o.NotOnFile),11:P1} {o.Share(o.Returned),8:P1}");
        }
        Table("rows about a person on file, by case — right: matched automatically to them; wrong: to someone else (rows); review: 要確認; "
            + "not-on-file: 市未登録; returned: 返戻 unmatched", OnFileByCase);
        Table("rows about nobody on file, by case — wrong: matched automatically to someone (rows)", NobodyByCase);
        return text.ToString();
    }
}
