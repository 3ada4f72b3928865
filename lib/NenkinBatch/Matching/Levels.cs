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

    /// <summary>A 基礎年金番号 or 個人番号 on both sides and equal.</summary>
    public bool NumberAgrees => PensionNumberAgrees || IndividualNumberAgrees;

    /// <summary>The name agrees at one of its rule levels; an alphabet name only when its tokens are the same (a similar one is for a clerk).</summary>
    public bool NameAgrees =>
        Kana is KanaLevel.Exact or KanaLevel.Width or KanaLevel.Small or KanaLevel.Loose
        && Kanji != KanjiLevel.Different && Alphabet is AlphabetLevel.Agrees or AlphabetLevel.Missing;

    public bool BirthAgrees => Birth is BirthLevel.Equal or BirthLevel.KnownPartsEqual;

    /// <summary>Rule 5 (docs/domain.md, "The decision"): all four of the 4情報 — name, birth date, sex, and the address as the same place and number.</summary>
    public bool AllFourAgree => NameAgrees && BirthAgrees && Sex == SexLevel.Agrees && Address == AddressLevel.Equal;
}
