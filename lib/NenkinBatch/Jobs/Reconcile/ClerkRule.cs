using NenkinBatch.Domain;
using NenkinBatch.Matching;
using NenkinBatch.Persistence.Reconcile;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Reconcile;

/// <summary>
/// The clerk's earlier decisions (<c>nenkin-reconcile decide</c>) in a later reconcile: a row with the same identity as a row a
/// clerk matched is matched to that person "by the clerk's decision" — unless a number now contradicts it, which sends it back to
/// 要確認 — and a person a clerk said is someone else is no candidate for it (docs/domain.md, "The clerk's decisions").
/// </summary>
internal sealed class ClerkRule
{
    private readonly Matcher _matcher;
    private readonly Dictionary<string, List<RememberedDecision>> _byIdentity;
    private readonly Dictionary<string, int> _people;

    private ClerkRule(Matcher matcher, Dictionary<string, List<RememberedDecision>> byIdentity)
    {
        _matcher = matcher;
        _byIdentity = byIdentity;
        _people = byIdentity.Count == 0 ? [] : Enumerable.Range(0, matcher.Index.Count).ToDictionary(i => matcher.Index[i].AtenaNumber, StringComparer.Ordinal);
    }

    public static async Task<ClerkRule> LoadAsync(JobContext context, Matcher matcher, CancellationToken cancellationToken)
    {
        var remembered = await context.ReadAsync((c, ct) => ClerkDecisions.ReadAllAsync(c, context.Municipality, ct), cancellationToken);
        if (remembered.Count > 0) context.Log.Info("職員の判断 {0:N0} 件を照合に使います。", remembered.Count);
        return new ClerkRule(matcher, remembered.GroupBy(d => d.IdentityKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal));
    }

    /// <summary>The matcher's decision for a row, as the clerk's earlier decisions about the same identity change it.</summary>
    public MatchDecision Apply(StoredJpsRow row, MatchDecision decision)
    {
        if (_byIdentity.Count == 0 || !_byIdentity.TryGetValue(ClerkDecisions.IdentityKey(row), out var said)) return decision;
        // A clerk's latest word about each person counts (decisions are read oldest first).
        var latest = said.GroupBy(d => d.AtenaNumber, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        var ruledOut = latest.Where(d => !d.Same && d.AtenaNumber.Length > 0).Select(d => d.AtenaNumber).ToHashSet(StringComparer.Ordinal);
        var candidates = (decision.Best is { } best ? decision.Others.Prepend(best) : decision.Others)
            .DistinctBy(s => s.Person).Where(s => !ruledOut.Contains(_matcher.Index[s.Person].AtenaNumber)).ToList();

        if (latest.Where(d => d.Same).MaxBy(d => d.DecidedRunId) is { } same && _people.TryGetValue(same.AtenaNumber, out var person))
        {
            var scored = _matcher.ScoreOf(new RowIdentity(row.Identity(), _matcher.Comparer.Kanji), person);
            var basis = $"職員の判断による一致（{CalendarDate.ToIso(same.DecidedOn)}、実行番号 {same.DecidedRunId}）";
            var others = candidates.Where(s => s.Person != person).ToList();
            var contradiction = scored.Levels.PensionNumber == NumberLevel.Differs ? "基礎年金番号"
                : scored.Levels.IndividualNumber == NumberLevel.Differs ? "個人番号" : null;
            return contradiction is null
                ? new MatchDecision(MatchKind.Automatic, scored, others, basis)
                : new MatchDecision(MatchKind.Review, null, [scored, .. others],
                    $"{basis}の後で、{contradiction}が宛名番号 {same.AtenaNumber} の記録と異なっています");
        }
        if (ruledOut.Count == 0) return decision;
        var removed = string.Join("、", ruledOut.Order(StringComparer.Ordinal));
        if (candidates.Count == 0) return new MatchDecision(MatchKind.NotOnFile, null, [], null);
        if (decision.Kind == MatchKind.Automatic && candidates[0].Person == decision.Person)
            return new MatchDecision(MatchKind.Automatic, decision.Best, candidates.Skip(1).ToList(), null);
        var reason = decision.Kind == MatchKind.Review && decision.ReviewReason is { } why ? why + "。" : "";
        return new MatchDecision(MatchKind.Review, null, candidates, $"{reason}職員が別人と判断した宛名番号 {removed} を候補から除きました");
    }
}
