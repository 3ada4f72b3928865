using NenkinBatch.Domain;

namespace NenkinBatch.Matching;

/// <summary>A person on the city's file: what the report and the safe changes need, and their 資格 periods.</summary>
public sealed class PersonOnFile(Candidate candidate, string? addressSuffix)
{
    public Candidate Candidate { get; } = candidate;
    public string AtenaNumber => Candidate.AtenaNumber;
    /// <summary>The 方書 the register keeps apart from the address, when it does.</summary>
    public string? AddressSuffix { get; } = addressSuffix;
    public List<PeriodOnFile> Periods { get; } = [];
    public long UpdatedRunId { get; init; }
    /// <summary>支援措置 (DV等): matching still uses the address, but no output shows it, the list's address for this person included.</summary>
    public bool DisclosureBlock { get; init; }

    /// <summary>Addresses the person had before, from 住所履歴 (not cancelled), with the day each stopped being theirs.</summary>
    public IReadOnlyList<FormerValue> FormerAddresses { get; init; } = [];

    /// <summary>Names the person had before (氏名履歴: a maiden name, an earlier 通称), with the day each stopped being theirs.</summary>
    public IReadOnlyList<FormerName> FormerNames { get; init; } = [];

    /// <summary>This person's comparison forms (computed anew each time: the index keeps only their keys).</summary>
    public ComparisonForms Forms(KanjiName kanji) => new(Candidate.Name, Candidate.Foreign, Candidate.NameKana, Candidate.Address, AddressSuffix, kanji);
}

