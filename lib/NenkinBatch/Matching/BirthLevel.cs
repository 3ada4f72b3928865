namespace NenkinBatch.Matching;

/// <summary>How a row's birth date compared with the person's (always compared: both sides have at least a year).</summary>
public enum BirthLevel : sbyte
{
    Equal,
    /// <summary>The person's date is 不詳 in part, and the parts it has (the year, perhaps the month) are the row's.</summary>
    KnownPartsEqual,
    /// <summary>A slip: one day apart, one digit of the day wrong, or the same day of another month of the same year.</summary>
    Near,
    Different,
}
