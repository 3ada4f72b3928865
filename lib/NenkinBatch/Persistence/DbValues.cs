using System.Globalization;

namespace NenkinBatch.Persistence;

/// <summary>Reads values that the two stores return in different shapes (PostgreSQL typed, SQLite text).</summary>
public static class DbValues
{
    public static DateTimeOffset? Instant(object? value) => value switch
    {
        null or DBNull => null,
        DateTimeOffset d => d.ToUniversalTime(),
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime(),
        _ => throw new InvalidCastException($"not an instant: {value.GetType().Name}"),
    };

    public static DateOnly? Date(object? value) => value switch
    {
        null or DBNull => null,
        DateOnly d => d,
        DateTime d => DateOnly.FromDateTime(d),
        string s => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => throw new InvalidCastException($"not a date: {value.GetType().Name}"),
    };

    /// <summary>A date column read without boxing: PostgreSQL's <c>date</c> and SQLite's ISO text both come back as a <see cref="DateOnly"/>.</summary>
    public static DateOnly? Date(System.Data.Common.DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateOnly>(ordinal);

    public static string? Text(System.Data.Common.DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static object Param(DateOnly? value) => value is { } d ? d : DBNull.Value;
    public static object Param(string? value) => value is null ? DBNull.Value : value;
}
