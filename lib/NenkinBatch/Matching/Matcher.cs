using System.Globalization;

namespace NenkinBatch.Matching;

/// <summary>
/// The two thresholds (DOMAIN.md rule 4) and the margin a best candidate must keep over the next one. Configuration
/// (<c>reconcile:autoMatchScore</c>, <c>reconcile:reviewScore</c>, <c>reconcile:tieMargin</c>); the defaults are set
/// on generated cities with the accuracy script (tests/accuracy/run.sh) and explained in weights.json's notes.
/// </summary>
public sealed record MatchThresholds(double AutoMatch = 22, double Review = 8, double TieMargin = 8)
{
    public static MatchThresholds Default { get; } = new();
}

public enum MatchKind : byte
{
    /// <summary>One person, beyond doubt: the row may change that person's records.</summary>
    Automatic,
    /// <summary>Candidates exist but no safe decision: a clerk decides.</summary>
    Review,
    /// <summary>Nobody on file comes close.</summary>
    NotOnFile,
}

/// <summary>A scored candidate: the whole score, and the part the 4情報 alone give (numbers left out).</summary>
public readonly record struct Scored(int Person, double Score, double IdentityScore, Levels Levels);

/// <summary>What the matcher decided for one row, and why.</summary>
public sealed record MatchDecision(MatchKind Kind, Scored? Best, IReadOnlyList<Scored> Others, string? ReviewReason)
{
    public int Person => Best?.Person ?? -1;
}

/// <summary>
/// Decides which person a row is about: candidates from the blocking index, each scored field by field; the best
/// one is taken only when it clears the automatic threshold, beats the next by the margin, and nothing about the
/// numbers contradicts it. Everything else goes to review or, when nobody comes close, to 市未登録.
/// </summary>
public sealed class Matcher(PersonIndex index, PersonComparer comparer, MatchThresholds thresholds)
{
    /// <summary>
    /// Below this a candidate can be neither the best worth a decision (review threshold), nor the runner-up that
    /// denies an automatic match (automatic threshold less the tie margin).
    /// </summary>
    private readonly double _floor = Math.Min(thresholds.Review, thresholds.AutoMatch - thresholds.TieMargin);

    public PersonComparer Comparer => comparer;
    public PersonIndex Index => index;

    public MatchDecision Decide(RowIdentity row)
    {
        var keys = index.KeysOf(row);
        var candidates = index.CandidatesFor(keys);
        if (candidates.Count == 0) return new MatchDecision(MatchKind.NotOnFile, null, [], null);
        var scored = new List<Scored>(Math.Min(candidates.Count, 16));
        foreach (var person in candidates)
        {
            var levels = comparer.Compare(row, keys, index, person);
            var identity = comparer.IdentityScore(levels);
            var score = identity + comparer.NumberScore(levels);
            // A candidate below every threshold that could make it count changes no decision: left out before sorting.
            if (score < _floor && identity < thresholds.Review && !levels.PensionAgrees && !levels.NumberAgrees) continue;
            scored.Add(new Scored(person, score, identity, levels));
        }
        if (scored.Count == 0) return new MatchDecision(MatchKind.NotOnFile, null, [], null);
        // Highest score first; equal scores in 宛名番号 order: the same input, the same decision.
        scored.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : ByAtena(a, b));
        var best = scored[0];
        var others = scored.Skip(1).Where(s => s.Score >= thresholds.Review).Take(3).ToList();

        // A number that points at someone other than the person the 4情報 point to: both to a clerk (DOMAIN.md rule 4).
        var byIdentity = scored[0];
        foreach (var s in scored)
        {
            if (s.IdentityScore > byIdentity.IdentityScore || (s.IdentityScore == byIdentity.IdentityScore && ByAtena(s, byIdentity) < 0)) byIdentity = s;
        }
        foreach (var holder in scored.Where(s => s.Levels.PensionAgrees || s.Levels.NumberAgrees))
        {
            if (holder.Person == byIdentity.Person || byIdentity.IdentityScore < thresholds.Review) continue;
            if (byIdentity.IdentityScore - holder.IdentityScore < thresholds.TieMargin) continue;
            var number = holder.Levels.PensionAgrees ? "基礎年金番号" : "個人番号";
            return new MatchDecision(MatchKind.Review, null, [holder, byIdentity],
                $"{number}は宛名番号 {index[holder.Person].AtenaNumber} の人、4情報は宛名番号 {index[byIdentity.Person].AtenaNumber} の人を指しています");
        }

        if (best.Score < thresholds.Review) return new MatchDecision(MatchKind.NotOnFile, null, [], null);
        string? reason = null;
        if (best.Score < thresholds.AutoMatch)
            reason = $"一致度 {Format(best.Score)} が自動照合の基準 {Format(thresholds.AutoMatch)} に届きません";
        else if (scored.Count > 1 && best.Score - scored[1].Score < thresholds.TieMargin)
            reason = $"候補 {index[scored[1].Person].AtenaNumber}（一致度 {Format(scored[1].Score)}）と差がありません";
        else if (best.Levels.Pension == 1)
            reason = "基礎年金番号が市の記録と異なります";
        else if (best.Levels.Number == 1)
            reason = "個人番号が市の記録と異なります";
        if (reason is not null) return new MatchDecision(MatchKind.Review, null, [best, .. others], reason);
        return new MatchDecision(MatchKind.Automatic, best, others, null);
    }

    private int ByAtena(Scored a, Scored b) => index.AtenaRank(a.Person).CompareTo(index.AtenaRank(b.Person));

    public static string Format(double score) => score.ToString("0.0", CultureInfo.InvariantCulture);
}
