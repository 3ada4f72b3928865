using System.Data.Common;
using NenkinBatch.Domain;
using NenkinBatch.Formats.Members;

namespace NenkinBatch.Persistence.Members;

/// <summary>
/// The reading half, the same on both stores but for how a list of keys is passed
/// (json_each on SQLite, an array on PostgreSQL).
/// </summary>
public abstract class MemberWriterBase : IMemberWriter
{
    protected const string PersonColumns =
        "atena_number, basic_pension_number, name, name_kana, birth_date, birth_date_text, sex, postal_code, address, address_suffix, resident_status, removed_on";
    protected const string PeriodColumns = "atena_number, acquired_on, insured_category, acquisition_reason, lost_on, loss_reason";

    // Updates keep created_run_id: the run that first brought a person in stays on record.
    protected const string PersonUpsert = """
        ON CONFLICT (municipality_code, atena_number) DO UPDATE SET
            basic_pension_number = excluded.basic_pension_number, name = excluded.name, name_kana = excluded.name_kana,
            birth_date = excluded.birth_date, birth_date_text = excluded.birth_date_text, sex = excluded.sex,
            postal_code = excluded.postal_code, address = excluded.address, address_suffix = excluded.address_suffix,
            resident_status = excluded.resident_status, removed_on = excluded.removed_on, updated_run_id = excluded.updated_run_id
        """;
    protected const string PeriodUpsert = """
        ON CONFLICT (municipality_code, atena_number, acquired_on) DO UPDATE SET
            insured_category = excluded.insured_category, acquisition_reason = excluded.acquisition_reason,
            lost_on = excluded.lost_on, loss_reason = excluded.loss_reason, updated_run_id = excluded.updated_run_id
        """;
    protected const string NumberUpsert = """
        ON CONFLICT (municipality_code, atena_number) DO UPDATE SET
            number_digest = excluded.number_digest, number_sealed = excluded.number_sealed, updated_run_id = excluded.updated_run_id
        """;

    /// <summary>SQL that is true when <c>atena_number</c> is one of the keys bound as parameter <c>@keys</c>.</summary>
    protected abstract string KeyFilter { get; }

    protected abstract void BindKeys(DbCommand command, IReadOnlyCollection<string> atenaNumbers);

    public async Task<Dictionary<string, StoredMember>> ReadStoredAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality,
        IReadOnlyCollection<string> atenaNumbers, CancellationToken cancellationToken)
    {
        var members = new Dictionary<string, StoredMember>(atenaNumbers.Count, StringComparer.Ordinal);
        await ReadAsync($"SELECT {PersonColumns} FROM person WHERE municipality_code = @m AND {KeyFilter}", r =>
        {
            var person = new PersonRecord(
                r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.GetString(3),
                DbValues.Date(r.GetValue(4)), r.IsDBNull(5) ? null : r.GetString(5), Convert.ToInt32(r.GetValue(6), null),
                r.IsDBNull(7) ? null : r.GetString(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
                Convert.ToInt32(r.GetValue(10), null), DbValues.Date(r.GetValue(11)));
            members[person.AtenaNumber] = new StoredMember(person);
        });
        if (members.Count == 0) return members;
        await ReadAsync($"SELECT {PeriodColumns} FROM qualification WHERE municipality_code = @m AND {KeyFilter}", r =>
        {
            var acquired = DbValues.Date(r.GetValue(1))!.Value;
            members[r.GetString(0)].Periods[acquired] = new QualificationRecord(
                acquired, Convert.ToInt32(r.GetValue(2), null), r.IsDBNull(3) ? null : r.GetString(3),
                DbValues.Date(r.GetValue(4)), r.IsDBNull(5) ? null : r.GetString(5));
        });
        await ReadAsync($"SELECT atena_number, number_digest FROM person_individual_number WHERE municipality_code = @m AND {KeyFilter}", r =>
            members[r.GetString(0)].NumberDigest = (byte[])r.GetValue(1));
        return members;

        async Task ReadAsync(string sql, Action<DbDataReader> onRow)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            var m = command.CreateParameter();
            m.ParameterName = "m";
            m.Value = municipality.Value;
            command.Parameters.Add(m);
            BindKeys(command, atenaNumbers);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) onRow(reader);
        }
    }

    public abstract Task WriteAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, string job,
        DateTimeOffset now, MemberChanges changes, CancellationToken cancellationToken);
}
