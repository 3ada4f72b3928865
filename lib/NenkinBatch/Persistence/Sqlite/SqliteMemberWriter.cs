using System.Data.Common;
using Microsoft.Data.Sqlite;
using NenkinBatch.Domain;
using NenkinBatch.Persistence.Members;

namespace NenkinBatch.Persistence.Sqlite;

/// <summary>SQLite: one prepared statement per table, re-bound per row, inside the chunk's transaction.</summary>
public sealed class SqliteMemberWriter : MemberWriterBase
{
    protected override string KeyFilter => "atena_number IN (SELECT value FROM json_each(@keys))";

    protected override void BindKeys(DbCommand command, IReadOnlyCollection<string> atenaNumbers) =>
        ((SqliteCommand)command).Parameters.AddWithValue("@keys", System.Text.Json.JsonSerializer.Serialize(atenaNumbers));

    public override async Task WriteAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, string job,
        DateTimeOffset now, MemberChanges changes, CancellationToken cancellationToken)
    {
        var sqlite = (SqliteConnection)connection;
        var tx = (SqliteTransaction)transaction;
        var m = municipality.Value;

        await ExecuteForEachAsync(sqlite, tx, $"""
            INSERT INTO person (municipality_code, {PersonColumns}, created_run_id, updated_run_id)
            VALUES ($m, $a, $bpn, $name, $kana, $birth, $birthText, $sex, $postal, $address, $suffix, $status, $removed, $run, $run)
            {PersonUpsert}
            """, changes.People, (p, x) =>
            {
                x["$m"].Value = m; x["$a"].Value = p.AtenaNumber; x["$bpn"].Value = DbValues.Param(p.BasicPensionNumber);
                x["$name"].Value = p.Name; x["$kana"].Value = p.NameKana; x["$birth"].Value = DbValues.Param(p.BirthDate);
                x["$birthText"].Value = DbValues.Param(p.BirthDateText); x["$sex"].Value = p.Sex; x["$postal"].Value = DbValues.Param(p.PostalCode);
                x["$address"].Value = p.Address; x["$suffix"].Value = DbValues.Param(p.AddressSuffix); x["$status"].Value = p.ResidentStatus;
                x["$removed"].Value = DbValues.Param(p.RemovedOn); x["$run"].Value = runId;
            }, cancellationToken);

        await ExecuteForEachAsync(sqlite, tx, $"""
            INSERT INTO qualification (municipality_code, {PeriodColumns}, created_run_id, updated_run_id)
            VALUES ($m, $a, $acquired, $category, $acqReason, $lost, $lossReason, $run, $run)
            {PeriodUpsert}
            """, changes.Periods, (q, x) =>
            {
                x["$m"].Value = m; x["$a"].Value = q.AtenaNumber; x["$acquired"].Value = q.Period.AcquiredOn;
                x["$category"].Value = q.Period.InsuredCategory; x["$acqReason"].Value = DbValues.Param(q.Period.AcquisitionReason);
                x["$lost"].Value = DbValues.Param(q.Period.LostOn); x["$lossReason"].Value = DbValues.Param(q.Period.LossReason); x["$run"].Value = runId;
            }, cancellationToken);

        await ExecuteForEachAsync(sqlite, tx, $"""
            INSERT INTO person_individual_number (municipality_code, atena_number, number_digest, number_sealed, updated_run_id)
            VALUES ($m, $a, $digest, $sealed, $run)
            {NumberUpsert}
            """, changes.Numbers, (n, x) =>
            {
                x["$m"].Value = m; x["$a"].Value = n.AtenaNumber; x["$digest"].Value = n.Digest; x["$sealed"].Value = n.Sealed; x["$run"].Value = runId;
            }, cancellationToken);

        await new SqliteAuditWriter().WriteAsync(connection, transaction, municipality, runId, job, now, changes.Audit, cancellationToken);
    }

    internal static async Task ExecuteForEachAsync<T>(SqliteConnection connection, SqliteTransaction transaction, string sql, IReadOnlyCollection<T> items,
        Action<T, SqliteParameterCollection> bind, CancellationToken cancellationToken)
    {
        if (items.Count == 0) return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in System.Text.RegularExpressions.Regex.Matches(sql, @"\$[a-zA-Z]+").Select(match => match.Value).Distinct(StringComparer.Ordinal))
            command.Parameters.Add(new SqliteParameter(name, null));
        await command.PrepareAsync(cancellationToken);
        foreach (var item in items)
        {
            bind(item, command.Parameters);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
