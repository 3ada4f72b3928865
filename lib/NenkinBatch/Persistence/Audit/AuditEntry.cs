using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace NenkinBatch.Persistence.Audit;

/// <summary>
/// One change to a person's records, as the audit log keeps it: which record (its <see cref="AuditKey"/>, which also names
/// the table), before and after (never a 個人番号), and whether the job read or wrote a 個人番号 to make it.
/// </summary>
public sealed record AuditEntry(AuditKey Key, string Action, string? Before, string? After, bool IndividualNumberAccessed)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>The row's <c>table_name</c>.</summary>
    public string Table => Key.Table;

    /// <summary>The row's <c>record_key</c>.</summary>
    public string RecordKey => Key.Value;

    public static string? Snapshot<T>(T? value) where T : class => value is null ? null : JsonSerializer.Serialize(value, Json);
}
