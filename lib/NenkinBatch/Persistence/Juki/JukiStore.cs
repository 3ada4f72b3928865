using System.Data.Common;
using NenkinBatch.Domain;
using NenkinBatch.Persistence.Audit;

namespace NenkinBatch.Persistence.Juki;

/// <summary>A 住基 file already known: its id and, once its last row is through, the run that finished it.</summary>
public sealed record KnownJukiFile(long FileId, long? CompletedRunId, DateOnly? NewestProcessedOn);

/// <summary>
/// The 住基 side of the schema: 宛名 with its history, files by content, rows waiting for a gap, follow-ups. The SQL is the
/// same on both stores; PostgreSQL streams the bulk tables in by binary COPY (<see cref="Postgres.PostgresJukiStore"/>).
/// </summary>
public class JukiStore
{
    protected const string PersonColumns =
        "atena_number, name, name_kana, common_name, birth_date, birth_date_text, sex, resident_kind, resident_status, household_number, relationship, " +
        "postal_code, address, address_suffix, became_resident_on, moved_out_to, removed_on, nationality, disclosure_block, juki_history_number, juki_changes";

    // 基礎年金番号 is not the register's: an update leaves it, and created_run_id, as they are.
    protected const string PersonUpsert = """
        ON CONFLICT (municipality_code, atena_number) DO UPDATE SET
            name = excluded.name, name_kana = excluded.name_kana, common_name = excluded.common_name, birth_date = excluded.birth_date,
            birth_date_text = excluded.birth_date_text, sex = excluded.sex, resident_kind = excluded.resident_kind, resident_status = excluded.resident_status,
            household_number = excluded.household_number, relationship = excluded.relationship, postal_code = excluded.postal_code,
            address = excluded.address, address_suffix = excluded.address_suffix, became_resident_on = excluded.became_resident_on,
            moved_out_to = excluded.moved_out_to, removed_on = excluded.removed_on, nationality = excluded.nationality,
            disclosure_block = excluded.disclosure_block, juki_history_number = excluded.juki_history_number, juki_changes = excluded.juki_changes,
            updated_run_id = excluded.updated_run_id
        """;

    protected const string NumberUpsert = """
        ON CONFLICT (municipality_code, atena_number) DO UPDATE SET
            number_digest = excluded.number_digest, number_sealed = excluded.number_sealed, updated_run_id = excluded.updated_run_id
        """;

    private const string ChangeKinds = "'loss-candidate','death','acquisition-candidate','move','name-change'";

    public async Task<KnownJukiFile?> FindFileAsync(DbConnection connection, MunicipalityCode municipality, string sha256, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, "SELECT file_id, completed_run_id, newest_processed_on FROM juki_file WHERE municipality_code = @m AND sha256 = @sha",
            ("m", municipality.Value), ("sha", sha256));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new KnownJukiFile(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), DbValues.Date(reader, 2))
            : null;
    }

    /// <summary>
    /// Whether the municipality has nobody on file and nothing waiting: a first load, for which the sync knows without asking
    /// that a person it has not yet written in this run is not stored.
    /// </summary>
    public async Task<bool> IsEmptyAsync(DbConnection connection, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, """
            SELECT NOT EXISTS (SELECT 1 FROM person WHERE municipality_code = @m) AND NOT EXISTS (SELECT 1 FROM juki_pending WHERE municipality_code = @m)
            """, ("m", municipality.Value));
        return Convert.ToBoolean(await command.ExecuteScalarAsync(cancellationToken), null);
    }

    /// <summary>
    /// The indexes of the people's tables that no uniqueness or conflict rests on, as the migrations create them: a first load
    /// drops them (<see cref="DropFirstLoadIndexesAsync"/>) and builds them once when its file is through, as a restore does.
    /// Inserted one by one, in birth-date and digest order, they cost the load more than the rows themselves.
    /// </summary>
    private static readonly (string Name, string Definition)[] FirstLoadIndexes =
    [
        ("ix_person_birth", "person (municipality_code, birth_date)"),
        ("ix_individual_number_digest", "person_individual_number (municipality_code, number_digest)"),
    ];

    /// <summary>Drops <see cref="FirstLoadIndexes"/>; only while nobody is on file (the caller has asked <see cref="IsEmptyAsync"/>).</summary>
    public async Task DropFirstLoadIndexesAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        foreach (var (name, _) in FirstLoadIndexes)
        {
            await using var command = Command(connection, transaction, DropIndexSql(name));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Builds whichever of <see cref="FirstLoadIndexes"/> is missing: at the end of a first load, and at the start of every other
    /// run, which so restores them after a first load that was stopped part way. Nothing to do when they are there.
    /// </summary>
    /// <returns>How many were built.</returns>
    public async Task<int> EnsureFirstLoadIndexesAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var built = 0;
        foreach (var (name, definition) in FirstLoadIndexes)
        {
            if (await IndexExistsAsync(connection, transaction, name, cancellationToken)) continue;
            await using var command = Command(connection, transaction, $"CREATE INDEX IF NOT EXISTS {name} ON {definition}");
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
            built++;
        }
        return built;
    }

    /// <summary>Drops the index of this name in the schema the job works in (and no other).</summary>
    protected virtual string DropIndexSql(string name) => $"DROP INDEX IF EXISTS {name}";

    protected virtual async Task<bool> IndexExistsAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = @name", ("name", name));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), null) > 0;
    }

    public async Task<long> AddFileAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, string name, string sha256,
        DateOnly? newestProcessedOn, long runId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, """
            INSERT INTO juki_file (municipality_code, file_name, sha256, newest_processed_on, started_run_id) VALUES (@m, @name, @sha, @newest, @run)
            RETURNING file_id
            """, ("m", municipality.Value), ("name", name), ("sha", sha256), ("newest", DbValues.Param(newestProcessedOn)), ("run", runId));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), null);
    }

    public async Task CompleteFileAsync(DbConnection connection, DbTransaction transaction, long fileId, long runId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "UPDATE juki_file SET completed_run_id = @run WHERE file_id = @id AND completed_run_id IS NULL",
            ("run", runId), ("id", fileId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The people of the keys as stored, with their last applied 履歴番号, 個人番号 digest and whether a 資格 is open.</summary>
    public async Task<Dictionary<string, StoredResident>> ReadResidentsAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, StoredResident>(keys.Count, StringComparer.Ordinal);
        await ReadAsync(connection, transaction, municipality, keys, $"""
            SELECT p.{PersonColumns.Replace(", ", ", p.", StringComparison.Ordinal)}, n.number_digest,
                   EXISTS (SELECT 1 FROM qualification q WHERE q.municipality_code = p.municipality_code AND q.atena_number = p.atena_number AND q.lost_on IS NULL)
            FROM person p LEFT JOIN person_individual_number n ON n.municipality_code = p.municipality_code AND n.atena_number = p.atena_number
            WHERE p.municipality_code = @m AND {KeyFilter("p.atena_number")}
            """, r =>
            {
                var snapshot = new ResidentSnapshot(r.GetString(1), r.GetString(2), DbValues.Text(r, 3), DbValues.Date(r, 4), DbValues.Text(r, 5),
                    Convert.ToInt32(r.GetValue(6), null), r.IsDBNull(7) ? null : Convert.ToInt32(r.GetValue(7), null), Convert.ToInt32(r.GetValue(8), null),
                    DbValues.Text(r, 9), DbValues.Text(r, 10), DbValues.Text(r, 11), r.GetString(12), DbValues.Text(r, 13), DbValues.Date(r, 14),
                    DbValues.Text(r, 15), DbValues.Date(r, 16), DbValues.Text(r, 17), Convert.ToBoolean(r.GetValue(18), null));
                found[r.GetString(0)] = new StoredResident
                {
                    Snapshot = snapshot,
                    HistoryNumber = Convert.ToInt32(r.GetValue(19), null),
                    Changes = JukiChangeLog.Parse(DbValues.Text(r, 20)),
                    NumberDigest = r.IsDBNull(21) ? null : (byte[])r.GetValue(21),
                    HasOpenQualification = Convert.ToBoolean(r.GetValue(22), null),
                };
            }, cancellationToken);
        return found;
    }

    /// <summary>
    /// The municipality's people under 支援措置: on file, or by a row waiting for an earlier 履歴番号 (its snapshot, the row as
    /// <c>PendingSnapshots</c> writes it in JSON, says so).
    /// Few (a fraction of a percent of a city), so read whole.
    /// </summary>
    public async Task<HashSet<string>> ReadBlockedAsync(DbConnection connection, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        await using var command = Command(connection, null, """
            SELECT atena_number FROM person WHERE municipality_code = @m AND disclosure_block = @blocked
            UNION SELECT atena_number FROM juki_pending WHERE municipality_code = @m AND snapshot LIKE @flag
            """, ("m", municipality.Value), ("blocked", true), ("flag", $"%\"{nameof(Formats.Juki.JukiChangeRow.DisclosureBlock)}\":true%"));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) blocked.Add(reader.GetString(0));
        return blocked;
    }

    /// <summary>The rows of the keys' people waiting for an earlier 履歴番号.</summary>
    public async Task<List<PendingRow>> ReadPendingAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var rows = new List<PendingRow>();
        await ReadAsync(connection, transaction, municipality, keys, $"""
            SELECT atena_number, history_number, file_id, line_number, snapshot, number_digest, number_sealed, first_seen_on, raises_follow_ups
            FROM juki_pending WHERE municipality_code = @m AND {KeyFilter("atena_number")}
            """, r => rows.Add(new PendingRow(r.GetString(0), Convert.ToInt32(r.GetValue(1), null), r.GetInt64(2), r.GetInt64(3), r.GetString(4),
                r.IsDBNull(5) ? null : (byte[])r.GetValue(5), r.IsDBNull(6) ? null : (byte[])r.GetValue(6), DbValues.Date(r, 7)!.Value,
                Convert.ToBoolean(r.GetValue(8), null))), cancellationToken);
        return rows;
    }

    /// <summary>The address and name histories of the keys' people (for a 取消し: the rows of the change it undoes).</summary>
    public async Task<Dictionary<string, StoredHistory>> ReadHistoryAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality,
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var histories = keys.ToDictionary(k => k, _ => new StoredHistory(), StringComparer.Ordinal);
        await ReadAsync(connection, transaction, municipality, keys, $"""
            SELECT atena_number, history_number, change_reason, valid_from, postal_code, address, address_suffix, cancelled_by FROM person_address_history
            WHERE municipality_code = @m AND {KeyFilter("atena_number")} ORDER BY atena_number, history_number
            """, r => histories[r.GetString(0)].Addresses.Add(new(r.GetString(0), Convert.ToInt32(r.GetValue(1), null), r.GetString(2).Trim(), DbValues.Date(r, 3)!.Value,
                (DbValues.Text(r, 4), r.GetString(5), DbValues.Text(r, 6))) { CancelledBy = r.IsDBNull(7) ? null : Convert.ToInt32(r.GetValue(7), null) }), cancellationToken);
        await ReadAsync(connection, transaction, municipality, keys, $"""
            SELECT atena_number, history_number, change_reason, valid_from, name, name_kana, common_name, cancelled_by FROM person_name_history
            WHERE municipality_code = @m AND {KeyFilter("atena_number")} ORDER BY atena_number, history_number
            """, r => histories[r.GetString(0)].Names.Add(new(r.GetString(0), Convert.ToInt32(r.GetValue(1), null), r.GetString(2).Trim(), DbValues.Date(r, 3)!.Value,
                (r.GetString(4), r.GetString(5), DbValues.Text(r, 6))) { CancelledBy = r.IsDBNull(7) ? null : Convert.ToInt32(r.GetValue(7), null) }), cancellationToken);
        return histories;
    }

    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, string job, DateTimeOffset now,
        JukiWrites writes, IAuditWriter audit, CancellationToken cancellationToken)
    {
        var m = municipality.Value;
        await WriteBulkAsync(connection, transaction, m, runId, writes, cancellationToken);

        await ForEachAsync(connection, transaction, "UPDATE person_address_history SET cancelled_by = @by WHERE municipality_code = @m AND atena_number = @a AND history_number = @h",
            writes.Cancelled, c => [("m", m), ("a", c.AtenaNumber), ("h", c.HistoryNumber), ("by", c.CancelledBy)], cancellationToken);
        await ForEachAsync(connection, transaction, "UPDATE person_name_history SET cancelled_by = @by WHERE municipality_code = @m AND atena_number = @a AND history_number = @h",
            writes.Cancelled, c => [("m", m), ("a", c.AtenaNumber), ("h", c.HistoryNumber), ("by", c.CancelledBy)], cancellationToken);
        await WritePendingAsync(connection, transaction, m, runId, writes.PendingAdded, writes.PendingRemoved, cancellationToken);
        await ForEachAsync(connection, transaction, $"""
            UPDATE follow_up SET status = '{FollowUpStatus.Withdrawn}', closed_run_id = @run
            WHERE municipality_code = @m AND source_key = @key AND status = '{FollowUpStatus.Open}' AND kind IN ({ChangeKinds})
            """, writes.Withdrawn, w => [("m", m), ("key", FollowUp.ChangeKey(w.AtenaNumber, w.HistoryNumber)), ("run", runId)], cancellationToken);
        await AddFollowUpsAsync(connection, transaction, municipality, runId, writes.FollowUps, cancellationToken);
        await audit.WriteAsync(connection, transaction, municipality, runId, job, now, writes.Audit, cancellationToken);
    }

    /// <summary>
    /// Rows that now wait for an earlier 履歴番号 (a row already waiting stays as it is), then rows released; one prepared statement per
    /// row here, PostgreSQL overrides it with one statement for each list.
    /// </summary>
    protected virtual async Task WritePendingAsync(DbConnection connection, DbTransaction transaction, string m, long runId, IReadOnlyCollection<PendingRow> added,
        IReadOnlyCollection<(string AtenaNumber, int HistoryNumber)> removed, CancellationToken cancellationToken)
    {
        await ForEachAsync(connection, transaction, $"""
            INSERT INTO juki_pending ({PendingColumns})
            VALUES (@m, @a, @h, @file, @line, @snapshot, @digest, @sealed, @seen, @raises, @run)
            {PendingConflict}
            """, added, p => [("m", m), ("a", p.AtenaNumber), ("h", p.HistoryNumber), ("file", p.FileId), ("line", p.Line), ("snapshot", p.Snapshot),
                ("digest", (object?)p.NumberDigest ?? DBNull.Value), ("sealed", (object?)p.NumberSealed ?? DBNull.Value), ("seen", p.FirstSeenOn), ("raises", p.RaisesFollowUps), ("run", runId)],
            cancellationToken);
        await ForEachAsync(connection, transaction, "DELETE FROM juki_pending WHERE municipality_code = @m AND atena_number = @a AND history_number = @h",
            removed, p => [("m", m), ("a", p.AtenaNumber), ("h", p.HistoryNumber)], cancellationToken);
    }

    protected const string PendingColumns =
        "municipality_code, atena_number, history_number, file_id, line_number, snapshot, number_digest, number_sealed, first_seen_on, raises_follow_ups, run_id";

    protected const string PendingConflict = "ON CONFLICT (municipality_code, atena_number, history_number) DO NOTHING";

    public Task AddFollowUpsAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, IReadOnlyCollection<FollowUp> followUps,
        CancellationToken cancellationToken) =>
        ForEachAsync(connection, transaction, $"""
            INSERT INTO follow_up (municipality_code, kind, source_key, atena_number, history_number, change_reason, changed_on, file_name, line_number,
                                   what_happened, what_to_do, due_on, status, raised_run_id, closed_run_id)
            VALUES (@m, @kind, @key, @a, @h, @reason, @changed, @file, @line, @what, @todo, @due, @status, @run, CASE WHEN @status = '{FollowUpStatus.Open}' THEN NULL ELSE @run END)
            ON CONFLICT (municipality_code, kind, source_key) DO NOTHING
            """, followUps, f => [("m", municipality.Value), ("kind", f.Kind), ("key", f.SourceKey), ("a", DbValues.Param(f.AtenaNumber)),
                ("h", (object?)f.HistoryNumber ?? DBNull.Value), ("reason", DbValues.Param(f.ChangeReason)), ("changed", DbValues.Param(f.ChangedOn)),
                ("file", DbValues.Param(f.FileName)), ("line", (object?)f.Line ?? DBNull.Value), ("what", f.WhatHappened), ("todo", f.WhatToDo),
                ("due", DbValues.Param(f.DueOn)), ("status", f.Status), ("run", runId)], cancellationToken);

    /// <summary>
    /// Gaps: every person whose next 履歴番号 is still missing after this run, with a row waiting since <paramref name="heldSince"/> or
    /// earlier. Returns (宛名番号, the missing 履歴番号, the first day a row waited); and resolves the gap follow-ups whose number has come.
    /// </summary>
    public async Task<List<(string AtenaNumber, int Missing, DateOnly WaitingSince)>> HeldGapsAsync(DbConnection connection, DbTransaction transaction,
        MunicipalityCode municipality, DateOnly heldSince, CancellationToken cancellationToken)
    {
        var gaps = new List<(string, int, DateOnly)>();
        await using (var command = Command(connection, transaction, """
            SELECT w.atena_number, COALESCE(p.juki_history_number, 0) + 1, MIN(w.first_seen_on)
            FROM juki_pending w LEFT JOIN person p ON p.municipality_code = w.municipality_code AND p.atena_number = w.atena_number
            WHERE w.municipality_code = @m
            GROUP BY w.atena_number, p.juki_history_number
            HAVING MIN(w.first_seen_on) <= @since
            ORDER BY w.atena_number
            """, ("m", municipality.Value), ("since", heldSince)))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                gaps.Add((reader.GetString(0), Convert.ToInt32(reader.GetValue(1), null), DbValues.Date(reader, 2)!.Value));
        return gaps;
    }

    /// <summary>Gap follow-ups whose missing 履歴番号 has been applied since: resolved, by this run.</summary>
    public async Task<int> ResolveFilledGapsAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long runId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"""
            UPDATE follow_up SET status = '{FollowUpStatus.Resolved}', closed_run_id = @run
            WHERE municipality_code = @m AND kind = 'gap' AND status = '{FollowUpStatus.Open}'
              AND EXISTS (SELECT 1 FROM person p WHERE p.municipality_code = follow_up.municipality_code AND p.atena_number = follow_up.atena_number
                          AND p.juki_history_number >= follow_up.history_number)
            """, ("m", municipality.Value), ("run", runId));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The follow-ups raised or closed by the runs named, for the run's list, in 宛名番号 order.</summary>
    public async Task<List<ListedFollowUp>> ListAsync(DbConnection connection, MunicipalityCode municipality, IReadOnlyCollection<long> runIds, CancellationToken cancellationToken)
    {
        var listed = new List<ListedFollowUp>();
        var runs = string.Join(",", runIds.Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using var command = Command(connection, null, $"""
            SELECT f.kind, f.source_key, f.atena_number, f.history_number, f.change_reason, f.changed_on, f.file_name, f.line_number, f.what_happened,
                   f.what_to_do, f.due_on, f.status, p.name
            FROM follow_up f LEFT JOIN person p ON p.municipality_code = f.municipality_code AND p.atena_number = f.atena_number
            WHERE f.municipality_code = @m AND (f.raised_run_id IN ({runs}) OR f.closed_run_id IN ({runs}))
            ORDER BY f.follow_up_id
            """, ("m", municipality.Value));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            listed.Add(new ListedFollowUp(new FollowUp(reader.GetString(0), reader.GetString(1), DbValues.Text(reader, 2),
                reader.IsDBNull(3) ? null : Convert.ToInt32(reader.GetValue(3), null), DbValues.Text(reader, 4)?.Trim(), DbValues.Date(reader, 5),
                DbValues.Text(reader, 6), reader.IsDBNull(7) ? null : reader.GetInt64(7), reader.GetString(8), reader.GetString(9), DbValues.Date(reader, 10)),
                DbValues.Text(reader, 12), reader.GetString(11)));
        return listed;
    }

    /// <summary>Follow-ups still open, all runs together: the size of the 健康保険課's worklist.</summary>
    public async Task<long> CountOpenAsync(DbConnection connection, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, $"SELECT COUNT(*) FROM follow_up WHERE municipality_code = @m AND status = '{FollowUpStatus.Open}'", ("m", municipality.Value));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), null);
    }

    /// <summary>The people, their 個人番号 and their address and name histories; PostgreSQL overrides it with binary COPY.</summary>
    protected virtual async Task WriteBulkAsync(DbConnection connection, DbTransaction transaction, string m, long runId, JukiWrites writes, CancellationToken cancellationToken)
    {
        await ForEachAsync(connection, transaction, $"""
            INSERT INTO person (municipality_code, {PersonColumns}, created_run_id, updated_run_id)
            VALUES (@m, @a, @name, @kana, @common, @birth, @birthText, @sex, @kind, @status, @household, @relationship, @postal, @address, @suffix,
                    @became, @movedTo, @removed, @nationality, @block, @h, @changes, @run, @run)
            {PersonUpsert}
            """, writes.People, p => [("m", m), ("a", p.AtenaNumber), ("name", p.Snapshot.Name), ("kana", p.Snapshot.NameKana), ("common", DbValues.Param(p.Snapshot.CommonName)),
                ("birth", DbValues.Param(p.Snapshot.BirthDate)), ("birthText", DbValues.Param(p.Snapshot.BirthDateText)), ("sex", p.Snapshot.Sex),
                ("kind", (object?)p.Snapshot.ResidentKind ?? DBNull.Value), ("status", p.Snapshot.ResidentStatus), ("household", DbValues.Param(p.Snapshot.HouseholdNumber)),
                ("relationship", DbValues.Param(p.Snapshot.Relationship)), ("postal", DbValues.Param(p.Snapshot.PostalCode)), ("address", p.Snapshot.Address),
                ("suffix", DbValues.Param(p.Snapshot.AddressSuffix)), ("became", DbValues.Param(p.Snapshot.BecameResidentOn)), ("movedTo", DbValues.Param(p.Snapshot.MovedOutTo)),
                ("removed", DbValues.Param(p.Snapshot.RemovedOn)), ("nationality", DbValues.Param(p.Snapshot.Nationality)), ("block", p.Snapshot.DisclosureBlock),
                ("h", p.HistoryNumber), ("changes", p.ChangeLog), ("run", runId)], cancellationToken);
        await ForEachAsync(connection, transaction, $"""
            INSERT INTO person_individual_number (municipality_code, atena_number, number_digest, number_sealed, updated_run_id) VALUES (@m, @a, @digest, @sealed, @run)
            {NumberUpsert}
            """, writes.Numbers, n => [("m", m), ("a", n.Number.AtenaNumber), ("digest", n.Number.Digest), ("sealed", n.Number.Sealed), ("run", runId)], cancellationToken);
        await ForEachAsync(connection, transaction, """
            INSERT INTO person_address_history (municipality_code, atena_number, history_number, change_reason, valid_from, postal_code, address, address_suffix, cancelled_by, run_id)
            VALUES (@m, @a, @h, @reason, @from, @postal, @address, @suffix, @by, @run)
            """, writes.Addresses, e => [("m", m), ("a", e.AtenaNumber), ("h", e.HistoryNumber), ("reason", e.ChangeReason), ("from", e.ValidFrom),
                ("postal", DbValues.Param(e.Value.PostalCode)), ("address", e.Value.Address), ("suffix", DbValues.Param(e.Value.AddressSuffix)),
                ("by", (object?)e.CancelledBy ?? DBNull.Value), ("run", runId)], cancellationToken);
        await ForEachAsync(connection, transaction, """
            INSERT INTO person_name_history (municipality_code, atena_number, history_number, change_reason, valid_from, name, name_kana, common_name, cancelled_by, run_id)
            VALUES (@m, @a, @h, @reason, @from, @name, @kana, @common, @by, @run)
            """, writes.Names, e => [("m", m), ("a", e.AtenaNumber), ("h", e.HistoryNumber), ("reason", e.ChangeReason), ("from", e.ValidFrom),
                ("name", e.Value.Name), ("kana", e.Value.NameKana), ("common", DbValues.Param(e.Value.CommonName)),
                ("by", (object?)e.CancelledBy ?? DBNull.Value), ("run", runId)], cancellationToken);
    }

    /// <summary>SQL true when <paramref name="column"/> is one of the keys bound as <c>@keys</c>.</summary>
    protected virtual string KeyFilter(string column) => $"{column} IN (SELECT value FROM json_each(@keys))";

    protected virtual object KeysParameter(IReadOnlyCollection<string> keys) => System.Text.Json.JsonSerializer.Serialize(keys);

    private async Task ReadAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, IReadOnlyCollection<string> keys, string sql,
        Action<DbDataReader> onRow, CancellationToken cancellationToken)
    {
        if (keys.Count == 0) return;
        await using var command = Command(connection, transaction, sql, ("m", municipality.Value), ("keys", KeysParameter(keys)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) onRow(reader);
    }

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        DbCommands.Create(connection, transaction, sql, parameters);

    /// <summary>One statement, prepared once and run for each item (the items are few, or this is SQLite, where that is the fast way).</summary>
    protected static async Task ForEachAsync<T>(DbConnection connection, DbTransaction transaction, string sql, IReadOnlyCollection<T> items,
        Func<T, (string Name, object Value)[]> bind, CancellationToken cancellationToken)
    {
        if (items.Count == 0) return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        var prepared = false;
        foreach (var item in items)
        {
            var values = bind(item);
            if (!prepared)
            {
                foreach (var (name, value) in values)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    parameter.Value = value;
                    command.Parameters.Add(parameter);
                }
                // Npgsql would fix each parameter's type at the first row's values, a null among them; it infers them per execution instead.
                if (connection is not Npgsql.NpgsqlConnection) await command.PrepareAsync(cancellationToken);
                prepared = true;
            }
            else
            {
                for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i].Value;
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
