using NenkinBatch.Domain;
namespace NenkinBatch.Matching;

/// <summary>A scored candidate: the whole score, and the part the 4情報 alone give (numbers left out).</summary>
/// <param name="FormerAddress">The former address (住所履歴) the row's address agreed with, when it was that and not the current one.</param>
/// <param name="FormerName">The former name (氏名履歴) the row's name agreed with, when it was that and not the current one.</param>
public readonly record struct Scored(int Person, double Score, double IdentityScore, Levels Levels, FormerValue? FormerAddress = null, FormerName? FormerName = null)
{
    /// <summary>
    /// Rule 5 (docs/domain.md, "The decision"): all four of the 4情報 agree — a name (current or former) at any of its agreeing
    /// levels (an alphabet name only when its tokens are the same: a similar one is for a clerk), the birth date (its known parts), the sex, and the address (current or former) as the same place and number.
    /// </summary>
    public bool AllFourAgree => NameAgrees && BirthAgrees && Levels.Sex == SexLevel.Agrees && Levels.Address == AddressLevel.Equal;

    public bool NameAgrees =>
        Levels.Kana is KanaLevel.Exact or KanaLevel.Width or KanaLevel.Small or KanaLevel.Loose
        && Levels.Kanji != KanjiLevel.Different && Levels.Alphabet is AlphabetLevel.Agrees or AlphabetLevel.Missing;

    public bool BirthAgrees => Levels.Birth is BirthLevel.Equal or BirthLevel.KnownPartsEqual;

    /// <summary>A 基礎年金番号 or 個人番号 on both sides and equal.</summary>
    public bool NumberAgrees => Levels.PensionNumberAgrees || Levels.IndividualNumberAgrees;
}
