namespace NenkinBatch.Synthetic;

/// <summary>
/// The fixed cases of the 住基 files, each given to one resident. The cases every city has, even the 400-person sample,
/// so that the sync job's every rule is exercised by the data; the rest of a delta is ordinary changes and newcomers.
/// </summary>
public enum JukiCase
{
    None,

    // The initial history
    /// <summary>The history's newest row: 処理日 the day before AsOf (the window counts back from it).</summary>
    NewestHistoryRow,
    /// <summary>A mover with an open 資格 whose 転居 is processed 91 days before AsOf: 90 days before the newest, a follow-up.</summary>
    WindowEdgeInside,
    /// <summary>The same, 92 days before AsOf: one day too old, history only.</summary>
    WindowEdgeOutside,
    /// <summary>Someone aged 20–59 without a 資格 who moved in 40 days ago: an acquisition candidate from the history.</summary>
    RecentTransferIn,
    /// <summary>The last change a 34 個人番号変更.</summary>
    HistoryNumberChange,
    /// <summary>The last change's 異動日 before the one before it.</summary>
    HistoryBackDated,
    /// <summary>A history line written twice.</summary>
    HistoryDuplicateLine,

    // The daily deltas: changes of residents
    Move,
    Marriage,
    MoveOut,
    Emigration,
    Death,
    HouseholdChange,
    /// <summary>30 and its 39 in delta 1.</summary>
    MoveCancelledSameDelta,
    /// <summary>30 in delta 1, its 39 in delta 2.</summary>
    MoveCancelledNextDelta,
    /// <summary>20 and its 29 in delta 2.</summary>
    MoveOutCancelled,
    /// <summary>n+1 and n+3 in delta 1, n+2 in delta 2 (held, then released).</summary>
    GapReleased,
    /// <summary>n+1 and n+3 in delta 1; n+2 never comes.</summary>
    GapNeverFilled,
    /// <summary>A history row sent again in delta 1.</summary>
    DuplicateOfHistory,
    /// <summary>A row written twice in delta 2.</summary>
    DuplicateInDelta,
    /// <summary>A 転居 with 異動日 20260230 (delta 2), of a person under 支援措置 since the history.</summary>
    RefusedBadDate,
    /// <summary>異動事由 99 (delta 1).</summary>
    RefusedUnknownReason,
    /// <summary>22 死亡 with 住民状態 1 (delta 2).</summary>
    RefusedDeathStillResident,
    /// <summary>履歴番号 0 (delta 1).</summary>
    RefusedHistoryZero,
    /// <summary>A refused n+1 (delta 1) and a good n+2 (delta 2), which waits for ever.</summary>
    RefusedThenLater,
    /// <summary>A baby born into the resident's household: 12 出生 (delta 1).</summary>
    Birth,
    /// <summary>35 支援措置 set (delta 1) for someone JPS rows are about; chosen while writing, as the JPS rows are drawn then.</summary>
    SupportWithJpsRows,
}

/// <summary>
/// Which resident has which case: chosen in the generator's first pass, a reservoir sample per case (one index kept per
/// case), so cases fall anywhere in the city and nothing is held but the choice.
/// </summary>
public sealed class JukiScenario
{
    /// <summary>The rows the fixed cases take in the busier delta (20), and a few for ordinary changes and newcomers.</summary>
    public const int MinimumRowsPerDelta = 24;

    /// <summary>Rows of the newcomer cases made after the residents, per delta: see <see cref="JukiStories.Finish"/>.</summary>
    public static readonly int[] NewcomerCaseRows = [4, 4];

    private static readonly (JukiCase Case, Func<SyntheticPerson, DateOnly, bool> Eligible, int Delta1, int Delta2)[] Cases =
    [
        (JukiCase.NewestHistoryRow, (_, _) => true, 0, 0),
        (JukiCase.WindowEdgeInside, (p, _) => p.HasOpenQualification && p.OldAddress is not null && p.OldAddressInHistory, 0, 0),
        (JukiCase.WindowEdgeOutside, (p, _) => p.HasOpenQualification && p.OldAddress is not null && p.OldAddressInHistory, 0, 0),
        (JukiCase.RecentTransferIn, (p, asOf) => !p.OnFile && p.BirthUnknownCompact is null && p.AgeOn(asOf) is >= 21 and <= 58, 0, 0),
        (JukiCase.HistoryNumberChange, (p, _) => p.IndividualNumber is not null, 0, 0),
        (JukiCase.HistoryBackDated, (p, asOf) => p.AgeOn(asOf) >= 30, 0, 0),
        (JukiCase.HistoryDuplicateLine, (_, _) => true, 0, 0),
        (JukiCase.Move, (p, _) => p.HasOpenQualification, 1, 0),
        (JukiCase.Marriage, (p, asOf) => p.HasOpenQualification && !p.IsForeign && p.Sex == 2 && p.AgeOn(asOf) is >= 20 and <= 45, 0, 1),
        (JukiCase.MoveOut, (p, _) => p.HasOpenQualification, 1, 0),
        (JukiCase.Emigration, (p, _) => p.HasOpenQualification, 0, 1),
        (JukiCase.Death, (p, _) => p.HasOpenQualification, 1, 0),
        (JukiCase.HouseholdChange, (_, _) => true, 0, 1),
        (JukiCase.MoveCancelledSameDelta, (p, _) => p.HasOpenQualification, 2, 0),
        (JukiCase.MoveCancelledNextDelta, (p, _) => p.HasOpenQualification, 1, 1),
        (JukiCase.MoveOutCancelled, (p, _) => p.HasOpenQualification, 0, 2),
        (JukiCase.GapReleased, (p, _) => p.HasOpenQualification, 2, 1),
        (JukiCase.GapNeverFilled, (p, _) => p.HasOpenQualification, 2, 0),
        (JukiCase.DuplicateOfHistory, (_, _) => true, 1, 0),
        (JukiCase.DuplicateInDelta, (p, _) => p.HasOpenQualification, 0, 2),
        (JukiCase.RefusedBadDate, (_, _) => true, 0, 1),
        (JukiCase.RefusedUnknownReason, (_, _) => true, 1, 0),
        (JukiCase.RefusedDeathStillResident, (p, _) => p.HasOpenQualification, 0, 1),
        (JukiCase.RefusedHistoryZero, (_, _) => true, 1, 0),
        (JukiCase.RefusedThenLater, (_, _) => true, 1, 1),
        (JukiCase.Birth, (p, asOf) => !p.IsForeign && p.Relationship is "世帯主" or "妻" or "夫" && p.AgeOn(asOf) is >= 22 and <= 42, 1, 0),
    ];

    private readonly DateOnly _asOf;
    private readonly SplitMix _random;
    private readonly long[] _seen = new long[Cases.Length];
    private readonly int[] _chosen = Enumerable.Repeat(-1, Cases.Length).ToArray();
    private readonly Dictionary<int, JukiCase> _byPerson = [];

    public JukiScenario(CityOptions options)
    {
        _asOf = options.AsOf;
        _random = new SplitMix(options.Seed ^ 0xCA5E_5CE7_A210UL);
    }

    /// <summary>
    /// First pass: the resident may take a case not given yet to someone (each case replaces its choice with chance 1/eligible-so-far).
    /// Someone who left the city has their story told by the history (a 20 転出 last) and takes no case.
    /// </summary>
    public void Consider(SyntheticPerson person)
    {
        if (person.MovedOutOn is not null) return;
        for (var c = 0; c < Cases.Length; c++)
        {
            if (_byPerson.ContainsKey(person.Index) || !Cases[c].Eligible(person, _asOf)) continue;
            if (_random.NextDouble() * ++_seen[c] >= 1) continue;
            if (_chosen[c] >= 0) _byPerson.Remove(_chosen[c]);
            _chosen[c] = person.Index;
            _byPerson[person.Index] = Cases[c].Case;
        }
    }

    public JukiCase CaseOf(SyntheticPerson person) => _byPerson.GetValueOrDefault(person.Index);

    /// <summary>Residents given a case: they have no ordinary changes.</summary>
    public int Residents => _byPerson.Count;

    /// <summary>The delta rows the residents' cases take (run 2: delta 1, run 3: delta 2), counting <see cref="JukiCase.SupportWithJpsRows"/> as placed.</summary>
    public int CaseRows(int run) =>
        Cases.Where((c, i) => _chosen[i] >= 0).Sum(c => run == 2 ? c.Delta1 : c.Delta2) + (run == 2 ? 1 : 0);
}
