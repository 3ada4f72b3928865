using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using NenkinBatch.Domain;
using NenkinBatch.Matching;

namespace NenkinBatch.Persistence.Reconcile;

/// <summary>An imported list as reconcile sees it: when it came in, and whether it has been reported on and applied.</summary>
public sealed record ListFile(long FileId, string FileName, long RowCount, DateTimeOffset ImportedAt, long? ReportedRunId, long? AppliedRunId);

/// <summary>One stored row of a 処理結果一覧表 (what import kept; JPS's 個人番号 only as its digest).</summary>
public sealed record StoredJpsRow(
    long FileId, long LineNumber, string FilingCode, DateOnly ReceivedOn, DateOnly ProcessedOn, string? BasicPensionNumber,
    string KanaName, string? KanjiName, DateOnly BirthDate, int Sex, string? PostalCode, string? Address,
    int? InsuredCategory, DateOnly? AcquiredOn, string? AcquisitionReason, DateOnly? LostOn, string? LossReason,
    int Result, string? ErrorCode, string? ErrorText, byte[]? NumberDigest)
{
    public Described Described => new(BasicPensionNumber, KanaName, KanjiName, BirthDate, Sex, Address, NumberDigest);
}

/// <summary>
/// What reconcile reads and writes. The SQL is the same on both stores (dates bound as <see cref="DateOnly"/>,
/// read through <see cref="DbValues"/>); nothing here asks which store it is.
/// </summary>
public static class ReconcileStore
{
    public static async Task<List<ListFile>> ListFilesAsync(DbConnection connection, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        var files = new List<ListFile>();
        await using var command = Command(connection, null, """
            SELECT f.file_id, f.file_name, f.row_count, f.imported_at, r.reported_run_id, r.applied_run_id
            FROM jps_result_file f LEFT JOIN jps_result_reconciled r ON r.file_id = f.file_id
            WHERE f.municipality_code = @m AND f.replaced_by_run_id IS NULL
            ORDER BY f.file_id
            """, ("m", municipality.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            files.Add(new ListFile(Convert.ToInt64(reader.GetValue(0), null), reader.GetString(1), Convert.ToInt64(reader.GetValue(2), null),
                DbValues.Instant(reader.GetValue(3))!.Value, reader.IsDBNull(4) ? null : Convert.ToInt64(reader.GetValue(4), null),
                reader.IsDBNull(5) ? null : Convert.ToInt64(reader.GetValue(5), null)));
        }
        return files;
    }

    /// <summary>Everyone on file with their 資格 periods and 個人番号 digest, prepared for matching.</summary>
    public static async Task<PersonIndex> LoadPeopleAsync(DbConnection connection, MunicipalityCode municipality, KanjiName kanji, CancellationToken cancellationToken)
    {
        var index = new PersonIndex();
        var byAtena = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var command = Command(connection, null, """
            SELECT p.atena_number, p.basic_pension_number, p.name, p.name_kana, p.birth_date, p.birth_date_text, p.sex, p.address,
                   p.address_suffix, p.updated_run_id, n.number_digest
            FROM person p LEFT JOIN person_individual_number n ON n.municipality_code = p.municipality_code AND n.atena_number = p.atena_number
            WHERE p.municipality_code = @m
            """, ("m", municipality.Value)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var people = new List<(Candidate Candidate, string? Suffix, long UpdatedRunId)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var birthDate = DbValues.Date(reader.GetValue(4));
                var birth = birthDate is { } d
                    ? new BirthDate(d, d.Year, d.Month, d.Day, null)
                    : BirthDate.ParseCompact(reader.IsDBNull(5) ? "" : reader.GetString(5)) is { Ok: true } parsed ? parsed.Value : default;
                var name = reader.GetString(2);
                people.Add((new Candidate(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1).Trim(), name, reader.GetString(3), birth,
                    Convert.ToInt32(reader.GetValue(6), null), reader.GetString(7), reader.IsDBNull(10) ? null : (byte[])reader.GetValue(10),
                    AlphabetName.IsAlphabet(name)), reader.IsDBNull(8) ? null : reader.GetString(8), Convert.ToInt64(reader.GetValue(9), null)));
            }
            // Birth-date order (then 宛名番号), the same on both stores whatever their collation: the people a row's birth date
            // finds lie side by side in the index.
            people.Sort((a, b) => PersonIndex.LoadOrder(a.Candidate, b.Candidate));
            // Preparing a person's comparison forms (NFC/NFKC, kana levels, the address) is the costly part: on every core.
            // Batches keep the forms, which the index turns into keys and lets go, from all being alive at once.
            var prepared = new (PersonOnFile Person, ComparisonForms Forms)[Math.Min(people.Count, 16384)];
            for (var start = 0; start < people.Count; start += prepared.Length)
            {
                var count = Math.Min(prepared.Length, people.Count - start);
                Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                {
                    var (candidate, suffix, updated) = people[start + i];
                    var person = new PersonOnFile(candidate, suffix) { UpdatedRunId = updated };
                    prepared[i] = (person, person.Forms(kanji));
                });
                for (var i = 0; i < count; i++) byAtena[prepared[i].Person.AtenaNumber] = index.Add(prepared[i].Person, prepared[i].Forms);
            }
        }
        await using (var command = Command(connection, null, """
            SELECT atena_number, acquired_on, insured_category, acquisition_reason, lost_on, loss_reason, updated_run_id
            FROM qualification WHERE municipality_code = @m
            """, ("m", municipality.Value)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!byAtena.TryGetValue(reader.GetString(0), out var person)) continue;
                index[person].Periods.Add(new PeriodOnFile(DbValues.Date(reader.GetValue(1))!.Value, Convert.ToInt32(reader.GetValue(2), null),
                    reader.IsDBNull(3) ? null : reader.GetString(3), DbValues.Date(reader.GetValue(4)), reader.IsDBNull(5) ? null : reader.GetString(5),
                    Convert.ToInt64(reader.GetValue(6), null)));
            }
        }
        foreach (var person in index.People) person.Periods.Sort((a, b) => a.AcquiredOn.CompareTo(b.AcquiredOn));
        return index;
    }

    /// <summary>A list's rows in line order, streamed.</summary>
    public static async IAsyncEnumerable<StoredJpsRow> ReadRowsAsync(DbConnection connection, MunicipalityCode municipality, long fileId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, """
            SELECT file_id, line_number, filing_code, received_on, processed_on, basic_pension_number, kana_name, kanji_name, birth_date, sex,
                   postal_code, address, insured_category, acquired_on, acquisition_reason, lost_on, loss_reason, result, error_code, error_text, number_digest
            FROM jps_result WHERE municipality_code = @m AND file_id = @f ORDER BY line_number
            """, ("m", municipality.Value), ("f", fileId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            yield return new StoredJpsRow(
                Convert.ToInt64(reader.GetValue(0), null), Convert.ToInt64(reader.GetValue(1), null), reader.GetString(2),
                DbValues.Date(reader.GetValue(3))!.Value, DbValues.Date(reader.GetValue(4))!.Value, Text(5)?.Trim(), reader.GetString(6), Text(7),
                DbValues.Date(reader.GetValue(8))!.Value, Convert.ToInt32(reader.GetValue(9), null), Text(10), Text(11),
                reader.IsDBNull(12) ? null : Convert.ToInt32(reader.GetValue(12), null), DbValues.Date(reader.GetValue(13)), Text(14)?.Trim(),
                DbValues.Date(reader.GetValue(15)), Text(16)?.Trim(), Convert.ToInt32(reader.GetValue(17), null), Text(18), Text(19),
                reader.IsDBNull(20) ? null : (byte[])reader.GetValue(20));
        }
    }

    /// <summary>Records that these lists were reported on (and applied, with --apply) by this run.</summary>
    public static async Task MarkAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, IEnumerable<long> fileIds,
        long runId, bool applied, CancellationToken cancellationToken)
    {
        foreach (var fileId in fileIds)
        {
            await connection.ExecuteAsync(new CommandDefinition($"""
                INSERT INTO jps_result_reconciled (file_id, municipality_code, reported_run_id, applied_run_id) VALUES (@f, @m, @run, {(applied ? "@run" : "NULL")})
                ON CONFLICT (file_id) DO UPDATE SET reported_run_id = excluded.reported_run_id{(applied ? ", applied_run_id = excluded.applied_run_id" : "")}
                """, new { f = fileId, m = municipality.Value, run = runId }, transaction, cancellationToken: cancellationToken));
        }
    }

    internal static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
