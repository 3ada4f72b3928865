namespace NenkinBatch.Runtime;

/// <summary>
/// Business dates are Tokyo dates whatever the server's zone: a purge run at 08:30 JST on a UTC
/// server must not think it is still yesterday. The clock itself is the injected TimeProvider.
/// </summary>
public static class BusinessClock
{
    public static readonly TimeZoneInfo Tokyo = FindTokyo();

    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Tokyo).DateTime);

    public static DateTimeOffset ToTokyo(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Tokyo);

    /// <summary>The clock's present instant as Tokyo reads it (offset +09:00).</summary>
    public static DateTimeOffset Now(TimeProvider clock) => ToTokyo(clock.GetUtcNow());

    private static TimeZoneInfo FindTokyo()
    {
        foreach (var id in new[] { "Asia/Tokyo", "Tokyo Standard Time" })
        {
            if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) return zone;
        }
        // Japan has had no daylight saving since 1951: a fixed offset is exact where tzdata is missing.
        return TimeZoneInfo.CreateCustomTimeZone("Asia/Tokyo", TimeSpan.FromHours(9), "JST", "JST");
    }
}
