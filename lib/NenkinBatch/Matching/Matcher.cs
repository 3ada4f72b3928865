using NenkinBatch.Domain;
using System.Globalization;

namespace NenkinBatch.Matching;

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

    /// <summary>The order of candidates: highest score first; equal scores in 宛名番号 order (the same input, the same decision).</summary>
    private bool Before(in Scored a, in Scored b) => a.Score != b.Score ? a.Score > b.Score : index.AtenaRank(a.Person) < index.AtenaRank(b.Person);

    private static readonly MatchDecision Nobody = new(MatchKind.NotOnFile, null, [], null);

    // Scratch lists of the thread deciding (rows are decided on every core): a million rows allocate none of them.
    [ThreadStatic] private static CandidateBuffer? t_candidates;
    [ThreadStatic] private static List<Scored>? t_scored;
    [ThreadStatic] private static List<Scored>? t_top;

    /// <summary>How many candidates besides the chosen one a decision shows (他候補).</summary>
    private const int Shown = 3;

    /// <summary>Puts <paramref name="candidate"/> in its place among the best (<see cref="Before"/>), keeping at most the best one and <see cref="Shown"/> more.</summary>
    private void KeepBest(List<Scored> top, in Scored candidate)
    {
        var kept = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(top);
        // Most candidates of a common name come after the fourth best: one comparison each.
        if (kept.Length > Shown && !Before(candidate, kept[Shown])) return;
        var at = kept.Length;
        while (at > 0 && Before(candidate, kept[at - 1])) at--;
        if (at > Shown) return;
        if (top.Count > Shown) top.RemoveAt(Shown);
        top.Insert(at, candidate);
    }

    public MatchDecision Decide(RowIdentity row)
    {
        var keys = index.KeysOf(row);
        var buffer = t_candidates ??= new CandidateBuffer();
        index.CandidatesFor(keys, buffer);
        var candidates = buffer.Found;
        var scored = t_scored ??= new List<Scored>(64);
        scored.Clear();
        foreach (var person in candidates)
        {
            var candidate = Score(row, keys, person);
            // A candidate below every threshold that could make it count changes no decision: left out before the best are chosen.
            if (candidate.Score < _floor && candidate.IdentityScore < thresholds.Review && !candidate.Levels.PensionNumberAgrees && !candidate.Levels.IndividualNumberAgrees) continue;
            scored.Add(candidate);
        }
        if (scored.Count == 0) return Nobody;
        // Only the best four (Before) count (the best and up to three others, the runner-up first): chosen in one pass, for sorting
        // every candidate of a common name was most of the time a row took.
        var top = t_top ??= new List<Scored>(Shown + 1);
        top.Clear();
        foreach (var candidate in scored) KeepBest(top, candidate);
        var best = top[0];
        var others = new List<Scored>(Math.Min(top.Count - 1, Shown));
        for (var i = 1; i < top.Count; i++)
        {
            if (top[i].Score >= thresholds.Review) others.Add(top[i]);
        }

        // A number that points at someone other than the person the 4情報 point to: both to a clerk (docs/domain.md,
        // "Matching people, as implemented" → "The decision", step 1).
        var byIdentity = best;
        foreach (var s in scored)
        {
            if (s.IdentityScore > byIdentity.IdentityScore || (s.IdentityScore == byIdentity.IdentityScore && ByAtena(s, byIdentity) < 0)) byIdentity = s;
        }
        Scored? numberHolder = null;
        foreach (var holder in scored)
        {
            if (!holder.Levels.PensionNumberAgrees && !holder.Levels.IndividualNumberAgrees) continue;
            if (holder.Person == byIdentity.Person || byIdentity.IdentityScore < thresholds.Review) continue;
            if (byIdentity.IdentityScore - holder.IdentityScore < thresholds.TieMargin) continue;
            // The first such holder (Before), whatever order the candidates came in.
            if (numberHolder is null || Before(holder, numberHolder.Value)) numberHolder = holder;
        }
        if (numberHolder is { } h)
        {
            var number = h.Levels.PensionNumberAgrees ? "基礎年金番号" : "個人番号";
            return new MatchDecision(MatchKind.Review, null, [h, byIdentity],
                $"{number}は宛名番号 {index[h.Person].AtenaNumber} の人、4情報は宛名番号 {index[byIdentity.Person].AtenaNumber} の人を指しています");
        }

        if (best.Score < thresholds.Review) return Nobody;
        string? reason = null;
        if (best.Score < thresholds.AutoMatch)
            reason = $"一致度 {Format(best.Score)} が自動照合の基準 {Format(thresholds.AutoMatch)} に届きません";
        else if (top.Count > 1 && best.Score - top[1].Score < thresholds.TieMargin)
            reason = $"候補 {index[top[1].Person].AtenaNumber}（一致度 {Format(top[1].Score)}）と差がありません";
        else if (best.Levels.PensionNumber == NumberLevel.Differs)
            reason = "基礎年金番号が市の記録と異なります";
        else if (best.Levels.IndividualNumber == NumberLevel.Differs)
            reason = "個人番号が市の記録と異なります";
        else if (!best.Levels.NumberAgrees && !best.Levels.AllFourAgree)
            reason = NotAllFour(best);
        if (reason is not null) return new MatchDecision(MatchKind.Review, null, [best, .. others], reason);
        return new MatchDecision(MatchKind.Automatic, best, others, null);
    }

    /// <summary>
    /// A row against one given person, scored as <see cref="Decide"/> scores a candidate: for a row a clerk decided earlier,
    /// whose report still says what agrees and what differs.
    /// </summary>
    public Scored ScoreOf(RowIdentity row, int person) => Score(row, index.KeysOf(row), person);

    private Scored Score(RowIdentity row, in MatchKeys keys, int person)
    {
        var levels = comparer.Compare(row, keys, index, person);
        // History (住所履歴, 氏名履歴): JPS often has the address of the filing, or the name before a marriage. A former
        // value that agrees counts as the current one would, and the evidence says which and until when.
        FormerValue? formerAddress = null;
        if (levels.Address != AddressLevel.Equal && index.FormerAddressOf(person, keys) is { } address)
            (levels, formerAddress) = (levels with { Address = AddressLevel.Equal }, address);
        FormerName? formerName = null;
        if (!levels.NameAgrees && index[person].FormerNames.Count > 0)
            (levels, formerName) = WithFormerName(row, index[person], levels);
        var identity = comparer.IdentityScore(levels);
        return new Scored(person, identity + comparer.NumberScore(levels), identity, levels, formerAddress, formerName);
    }

    /// <summary>
    /// Rule 5's reason in words: without an agreeing number, the 4情報 that do not agree. Name, birth date and sex alone are not
    /// enough — in a city of a million a namesake born the same day exists, and JPS lists people who never lived here.
    /// </summary>
    private static string NotAllFour(Scored best)
    {
        var missing = new List<string>();
        if (!best.Levels.NameAgrees) missing.Add("氏名が市の記録（現在・旧氏名）と一致しません");
        if (!best.Levels.BirthAgrees) missing.Add("生年月日が一致しません");
        if (best.Levels.Sex != SexLevel.Agrees) missing.Add("性別が一致しません");
        if (best.Levels.Address != AddressLevel.Equal)
            missing.Add(best.Levels.Address == AddressLevel.Missing ? "機構の行に住所がありません" : "住所が市の記録（現住所・旧住所）のどれとも一致しません");
        return "番号の一致がなく4情報がそろいません: " + string.Join("、", missing);
    }

    /// <summary>The name levels against the person's former names, when one of them agrees; else the levels as they were.</summary>
    private (Levels, FormerName?) WithFormerName(RowIdentity row, PersonOnFile person, Levels levels)
    {
        foreach (var former in person.FormerNames)
        {
            var candidate = person.Candidate with { Name = former.Name, NameKana = former.NameKana, Foreign = AlphabetName.IsAlphabet(former.Name) };
            var named = comparer.Compare(row, new PersonOnFile(candidate, person.AddressSuffix));
            var withName = levels with { Kana = named.Kana, Kanji = named.Kanji, Alphabet = named.Alphabet };
            if (withName.NameAgrees) return (withName, former);
        }
        return (levels, null);
    }

    private int ByAtena(Scored a, Scored b) => index.AtenaRank(a.Person).CompareTo(index.AtenaRank(b.Person));

    public static string Format(double score) => score.ToString("0.0", CultureInfo.InvariantCulture);
}
