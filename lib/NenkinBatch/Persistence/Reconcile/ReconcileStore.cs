using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using NenkinBatch.Foundation;
using NenkinBatch.Domain;

namespace NenkinBatch.Persistence.Reconcile;

/// <summary>An imported list as reconcile sees it: when it came in, and whether it has been reported on and applied.</summary>
public sealed record ListFile(long FileId, string FileName, long RowCount, DateTimeOffset ImportedAt, long? ReportedRunId, long? AppliedRunId);

/// <summary>One stored row of a 処理結果一覧表 (what import kept; JPS's 個人番号 only as its digest).</summary>
public sealed record StoredJpsRow(
    long FileId, long LineNumber, string FilingCode, DateOnly ReceivedOn, DateOnly ProcessedOn, string? BasicPensionNumber,
    string KanaName, string? KanjiName, DateOnly BirthDate, int Sex, string? PostalCode, string? Address,
    int? InsuredCategory, DateOnly? AcquiredOn, string? AcquisitionReason, DateOnly? LostOn, string? LossReason,
    int Result, string? ErrorCode, string? ErrorText, byte[]? NumberDigest)
;

/// <summary>One person on file as reconcile reads them: 宛名 and 年金基本, the 個人番号 only as its digest.</summary>
public sealed record StoredPerson(
    string AtenaNumber, string? BasicPensionNumber, string Name, string NameKana, BirthDate BirthDate, int Sex, string Address,
    string? AddressSuffix, long UpdatedRunId, byte[]? NumberDigest, bool DisclosureBlock = false);

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

    /// <summary>Everyone's 資格 periods by 宛名番号, oldest first (read on a connection of its own while the people load).</summary>
    public static async Task<Dictionary<string, List<PeriodOnFile>>> LoadPeriodsAsync(DbConnection connection, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        var periods = new Dictionary<string, List<PeriodOnFile>>(StringComparer.Ordinal);
        await using (var command = Command(connection, null, """
            SELECT atena_number, acquired_on, insured_category, acquisition_reason, lost_on, loss_reason, updated_run_id
            FROM qualification WHERE municipality_code = @m
            """, ("m", municipality.Value)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var atena = reader.GetString(0);
                ref var list = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(periods, atena, out _);
                (list ??= new List<PeriodOnFile>(1)).Add(new PeriodOnFile(DbValues.Date(reader, 1)!.Value, reader.GetInt32(2), DbValues.Text(reader, 3),
                    DbValues.Date(reader, 4), DbValues.Text(reader, 5), reader.GetInt64(6)));
            }
        }
        foreach (var list in periods.Values) list.Sort((a, b) => a.AcquiredOn.CompareTo(b.AcquiredOn));
        return periods;
    }

    /// <summary>
    /// Everyone on file with their 個人番号 digest, in birth-date order: any order gives the same decisions (ties break on
    /// 宛名番号), and this one puts the people one birth date finds side by side in the matching index's memory.
    /// </summary>
    public static async IAsyncEnumerable<StoredPerson> ReadPeopleAsync(DbConnection connection, MunicipalityCode municipality,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, """
            SELECT p.atena_number, p.basic_pension_number, p.name, p.name_kana, p.birth_date, p.birth_date_text, p.sex, p.address,
                   p.address_suffix, p.updated_run_id, n.number_digest, p.disclosure_block
            FROM person p LEFT JOIN person_individual_number n ON n.municipality_code = p.municipality_code AND n.atena_number = p.atena_number
            WHERE p.municipality_code = @m
            ORDER BY p.birth_date, p.birth_date_text
            """, ("m", municipality.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new StoredPerson(reader.GetString(0), DbValues.Text(reader, 1)?.Trim(), reader.GetString(2), reader.GetString(3),
                StoredBirthDate(DbValues.Date(reader, 4), DbValues.Text(reader, 5)), reader.GetInt32(6), reader.GetString(7), DbValues.Text(reader, 8),
                reader.GetInt64(9), reader.IsDBNull(10) ? null : reader.GetFieldValue<byte[]>(10), Convert.ToBoolean(reader.GetValue(11), null));
        }
    }

    /// <summary>
    /// The former addresses and names of everyone on file, from 住所履歴 and 氏名履歴 as the 住基 sync keeps them: every entry
    /// not cancelled but a person's latest (which is where they are, who they are now), each with the day the next one began.
    /// </summary>
    public static async Task<Dictionary<string, (List<FormerValue> Addresses, List<FormerName> Names)>> ReadFormerAsync(DbConnection connection,
        MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        var former = new Dictionary<string, (List<FormerValue> Addresses, List<FormerName> Names)>(StringComparer.Ordinal);
        await ReadStandingAsync("SELECT atena_number, valid_from, address, NULL FROM person_address_history", (atena, value, _, until) => Of(atena).Addresses.Add(new FormerValue(value, until)));
        await ReadStandingAsync("SELECT atena_number, valid_from, name, name_kana FROM person_name_history", (atena, name, kana, until) => Of(atena).Names.Add(new FormerName(name, kana!, until)));
        return former;

        (List<FormerValue> Addresses, List<FormerName> Names) Of(string atena)
        {
            if (!former.TryGetValue(atena, out var lists)) former[atena] = lists = ([], []);
            return lists;
        }

        async Task ReadStandingAsync(string select, Action<string, string, string?, DateOnly?> add)
        {
            await using var command = Command(connection, null, select + " WHERE municipality_code = @m AND cancelled_by IS NULL ORDER BY atena_number, history_number",
                ("m", municipality.Value));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            (string Atena, string Value, string? Kana, DateOnly From)? previous = null;
            while (await reader.ReadAsync(cancellationToken))
            {
                var entry = (Atena: reader.GetString(0), Value: reader.GetString(2), Kana: DbValues.Text(reader, 3), From: DbValues.Date(reader, 1)!.Value);
                // An entry is former when the same person has a later one; it held until that one began.
                if (previous is { } p && p.Atena == entry.Atena) add(p.Atena, p.Value, p.Kana, entry.From);
                previous = entry;
            }
        }
    }

    /// <summary>
    /// A stored 生年月日: the calendar date, or a 不詳 date from its text. load-members checked the text when it stored it, so
    /// one that no longer reads (edited by hand in the database) is a birth date nobody knows: it matches on nothing.
    /// </summary>
    private static BirthDate StoredBirthDate(DateOnly? date, string? text) =>
        date is { } d ? new BirthDate(d, d.Year, d.Month, d.Day, null)
        : BirthDate.ParseCompact(text ?? "").TryGetValue(out var parsed) ? parsed
        : BirthDate.NotKnown;

    /// <summary>A list's rows in line order, streamed.</summary>
    public static IAsyncEnumerable<StoredJpsRow> ReadRowsAsync(DbConnection connection, MunicipalityCode municipality, long fileId, CancellationToken cancellationToken) =>
        ReadRowsAsync(connection, municipality, fileId, null, cancellationToken);

    /// <summary>One row of a list (by its line); null when the list has no such line.</summary>
    public static async Task<StoredJpsRow?> ReadRowAsync(DbConnection connection, MunicipalityCode municipality, long fileId, long line, CancellationToken cancellationToken)
    {
        await foreach (var row in ReadRowsAsync(connection, municipality, fileId, line, cancellationToken)) return row;
        return null;
    }

    private static async IAsyncEnumerable<StoredJpsRow> ReadRowsAsync(DbConnection connection, MunicipalityCode municipality, long fileId, long? line,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, $"""
            SELECT file_id, line_number, filing_code, received_on, processed_on, basic_pension_number, kana_name, kanji_name, birth_date, sex,
                   postal_code, address, insured_category, acquired_on, acquisition_reason, lost_on, loss_reason, result, error_code, error_text, number_digest
            FROM jps_result WHERE municipality_code = @m AND file_id = @f {(line is null ? "" : "AND line_number = @l")} ORDER BY line_number
            """, line is null ? [("m", municipality.Value), ("f", fileId)] : [("m", municipality.Value), ("f", fileId), ("l", line)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // Typed getters (no boxing) on both stores: a list is read twice a run, a million rows each time.
            yield return new StoredJpsRow(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), DbValues.Date(reader, 3)!.Value, DbValues.Date(reader, 4)!.Value,
                DbValues.Text(reader, 5)?.Trim(), reader.GetString(6), DbValues.Text(reader, 7), DbValues.Date(reader, 8)!.Value, reader.GetInt32(9),
                DbValues.Text(reader, 10), DbValues.Text(reader, 11), reader.IsDBNull(12) ? null : reader.GetInt32(12), DbValues.Date(reader, 13),
                DbValues.Text(reader, 14)?.Trim(), DbValues.Date(reader, 15), DbValues.Text(reader, 16)?.Trim(), reader.GetInt32(17),
                DbValues.Text(reader, 18), DbValues.Text(reader, 19), reader.IsDBNull(20) ? null : reader.GetFieldValue<byte[]>(20));
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

    /// <summary>After an undo: the lists that run applied count as not applied, so the next --apply takes them again.</summary>
    public static Task ForgetAppliedAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long appliedRunId,
        CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jps_result_reconciled SET applied_run_id = NULL WHERE municipality_code = @m AND applied_run_id = @run",
            new { m = municipality.Value, run = appliedRunId }, transaction, cancellationToken: cancellationToken));

    internal static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        DbCommands.Create(connection, transaction, sql, parameters);
}
