namespace NenkinBatch.Matching;

/// <summary>What a JPS row says of its person, with every comparison form computed once.</summary>
public sealed class RowIdentity(ReportedIdentity reported, KanjiName kanji)
{
    public ReportedIdentity Reported { get; } = reported;
    public ComparisonForms Forms { get; } = new(reported.KanjiName, reported.KanjiName is { } name && AlphabetName.IsAlphabet(name),
        reported.KanaName, reported.Address, null, kanji);
}
