using System.Data.Common;
using System.Globalization;
using NenkinBatch.Domain;

namespace NenkinBatch.Persistence.Audit;

/// <summary>One row of <c>audit_log</c> as read back.</summary>
public sealed record AuditRecord(long AuditId, long RunId, string Job, AuditKey Key, string Action, string? Before, string? After,
    bool IndividualNumberAccessed, DateTimeOffset RecordedAt)
{
    public string Table => Key.Table;
}

/// <summary>
/// Reads the audit log by key (docs/architecture.md, "Key scheme"). A prefix is looked up as the range
/// <c>[prefix, prefix with its closing '/' raised to '0')</c>: keys compare byte by byte on both stores (SQLite's
/// default BINARY collation; on PostgreSQL the column's "C" collation, migration 0003), so the range holds exactly the
/// keys under the prefix and the <c>(municipality_code, table_name, record_key)</c> index serves it. A LIKE would not
/// use that index on SQLite, whose LIKE ignores case.
/// </summary>
public static class AuditLog
{
    private const string Columns = "audit_id, run_id, job, record_key, action, before_data, after_data, individual_number_accessed, recorded_at";

    /// <summary>
    /// Everything recorded about one person, in the order it happened: their <c>person</c> row, their 個人番号 (that it was
    /// written, never the number) and each of their 資格 periods.
    /// </summary>
    public static async Task<List<AuditRecord>> HistoryOfPersonAsync(DbConnection connection, MunicipalityCode municipality, string atenaNumber,
        CancellationToken cancellationToken)
    {
        var rows = new List<AuditRecord>();
        await using var command = HistoryCommand(connection, municipality, atenaNumber);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new AuditRecord(
                Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture),
                reader.GetString(2),
                AuditKey.Parse(reader.GetString(3)),
                reader.GetString(4),
                DbValues.Text(reader, 5),
                DbValues.Text(reader, 6),
                Convert.ToBoolean(reader.GetValue(7), CultureInfo.InvariantCulture),
                DbValues.Instant(reader.GetValue(8))!.Value));
        return rows;
    }

    /// <summary>The history query, bound; its own member so a test can ask each store for its plan.</summary>
    internal static DbCommand HistoryCommand(DbConnection connection, MunicipalityCode municipality, string atenaNumber)
    {
        var periods = AuditKey.QualificationPrefix(municipality, atenaNumber);
        var command = connection.CreateCommand();
        // One branch per table, so each is a lookup on (municipality_code, table_name, record_key). @m is cast to the column's
        // type (char(6) on PostgreSQL), or PostgreSQL compares the column cast to text, which the index does not serve.
        command.CommandText = $"""
            SELECT {Columns} FROM audit_log WHERE municipality_code = CAST(@m AS char(6)) AND table_name = '{AuditKey.PersonKey.TableName}' AND record_key = @person
            UNION ALL
            SELECT {Columns} FROM audit_log WHERE municipality_code = CAST(@m AS char(6)) AND table_name = '{AuditKey.IndividualNumberKey.TableName}' AND record_key = @number
            UNION ALL
            SELECT {Columns} FROM audit_log WHERE municipality_code = CAST(@m AS char(6)) AND table_name = '{AuditKey.QualificationKey.TableName}' AND record_key >= @from AND record_key < @to
            ORDER BY audit_id
            """;
        Bind(command, "m", municipality.Value);
        Bind(command, "person", AuditKey.Person(municipality, atenaNumber).Value);
        Bind(command, "number", AuditKey.IndividualNumber(municipality, atenaNumber).Value);
        Bind(command, "from", periods);
        Bind(command, "to", UpperBound(periods));
        return command;
    }

    /// <summary>The first key after every key that starts with <paramref name="prefix"/>: its closing '/' raised to the next character, '0'.</summary>
    internal static string UpperBound(string prefix) =>
        prefix.EndsWith('/') ? string.Concat(prefix.AsSpan(0, prefix.Length - 1), "0") : throw new ArgumentException("a key prefix ends with '/'", nameof(prefix));

    private static void Bind(DbCommand command, string name, string value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
