namespace NenkinBatch.Matching;

/// <summary>
/// The level each field reached in one comparison, <c>Missing</c> where a side had nothing to compare. Nine bytes (every
/// level enum is an <see cref="sbyte"/>): small enough to keep for every row of a million-row list; the evidence text
/// is made from it only when a report needs it.
/// </summary>
public readonly record struct Levels(
    NumberLevel PensionNumber, NumberLevel IndividualNumber, KanaLevel Kana, KanjiLevel Kanji, AlphabetLevel Alphabet,
    BirthLevel Birth, SexLevel Sex, AddressLevel Address, AddressSuffixLevel AddressSuffix)
{
    public bool PensionNumberAgrees => PensionNumber == NumberLevel.Agrees;
    public bool IndividualNumberAgrees => IndividualNumber == NumberLevel.Agrees;
}
