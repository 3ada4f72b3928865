using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NenkinBatch.Domain;

namespace NenkinBatch.Persistence.Reconcile;

/// <summary>A candidate of a row a clerk may decide, with the version (updated_run_id) of the person's record when it was reported.</summary>
public sealed record CandidateVersion(string Atena, long Version);

/// <summary>A row a clerk may decide (要確認, 市未登録) as the report run stored it: the digest of its cells and its candidates in order.</summary>
public sealed record DecidableRow(long RunId, long Seq, long FileId, long LineNumber, string Verdict, string Digest, IReadOnlyList<CandidateVersion> Candidates);

/// <summary>
/// A clerk's decision, remembered: the row's person is (<see cref="Same"/>) or is not the person of <see cref="AtenaNumber"/>
/// (empty: a 別人 decision on a row without candidates).
/// </summary>
public sealed record RememberedDecision(long FileId, long LineNumber, string IdentityKey, string AtenaNumber, bool Same, long ReportRunId,
    long DecidedRunId, DateOnly DecidedOn, string DecidedBy);

/// <summary>
/// The clerk's decisions and the rows they are taken on (docs/architecture.md, "The clerk's decisions"). The SQL is the same
/// on both stores, but for the decidable rows a report keeps, which PostgreSQL takes by COPY (<see cref="StoreRowsAsync"/>).
/// </summary>
public static class ClerkDecisions
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>
    /// A list row's identity as JPS wrote it, by which a later list's row about the same person is known: its 基礎年金番号,
    /// else a digest of its 4情報 exactly as written (a later row written otherwise is simply matched afresh).
    /// </summary>
    public static string IdentityKey(StoredJpsRow row)
    {
        if (row.BasicPensionNumber is { Length: > 0 } number) return "P:" + number;
        var text = string.Join('\u001f', row.KanjiName?.Trim() ?? "", row.KanaName.Trim(), row.Sex.ToString(CultureInfo.InvariantCulture),
            CalendarDate.ToIso(row.BirthDate), row.Address?.Trim() ?? "");
        return "F:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// Keeps a report run's decidable rows; a row kept already (a retried chunk) is left as it is. A million-row list may have
    /// hundreds of thousands: PostgreSQL takes them by COPY; SQLite, in process, one prepared statement run per row (its parameters are found by name, so a
    /// statement of thousands costs more).
    /// </summary>
    public static async Task StoreRowsAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, IReadOnlyCollection<DecidableRow> rows,
        CancellationToken cancellationToken)
    {
        if (connection is Npgsql.NpgsqlConnection postgres)
        {
            if (rows.Count == 0) return;
            // A chunk commits whole: a retried one (its commit's reply lost) finds its first row there, and with it all the others.
            var first = rows.First();
            await using (var exists = ReconcileStore.Command(connection, transaction, "SELECT count(*) FROM reconcile_result WHERE run_id = @r AND seq = @s",
                             [("r", first.RunId), ("s", first.Seq)]))
            {
                if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0) return;
            }
            await using var importer = await postgres.BeginBinaryImportAsync(
                "COPY reconcile_result (municipality_code, run_id, file_id, line_number, seq, verdict, digest, candidates) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var row in rows)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(municipality.Value, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(row.RunId, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(row.FileId, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(row.LineNumber, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(row.Seq, NpgsqlTypes.NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(row.Verdict, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(row.Digest, NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(JsonSerializer.Serialize(row.Candidates, Json), NpgsqlTypes.NpgsqlDbType.Text, cancellationToken);
            }
            await importer.CompleteAsync(cancellationToken);
            return;
        }
        await using var command = ReconcileStore.Command(connection, transaction, """
            INSERT INTO reconcile_result (municipality_code, run_id, file_id, line_number, seq, verdict, digest, candidates)
            VALUES (@m, @r, @f, @l, @s, @v, @d, @c)
            ON CONFLICT (run_id, seq) DO NOTHING
            """, [("m", municipality.Value), ("r", 0L), ("f", 0L), ("l", 0L), ("s", 0L), ("v", ""), ("d", ""), ("c", "")]);
        await command.PrepareAsync(cancellationToken);
        foreach (var row in rows)
        {
            command.Parameters["r"].Value = row.RunId;
            command.Parameters["f"].Value = row.FileId;
            command.Parameters["l"].Value = row.LineNumber;
            command.Parameters["s"].Value = row.Seq;
            command.Parameters["v"].Value = row.Verdict;
            command.Parameters["d"].Value = row.Digest;
            command.Parameters["c"].Value = JsonSerializer.Serialize(row.Candidates, Json);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The decidable row a run stored for a list line; null when that run reported no such row.</summary>
    public static async Task<DecidableRow?> FindRowAsync(DbConnection connection, DbTransaction? transaction, MunicipalityCode municipality, long runId, long fileId, long line,
        CancellationToken cancellationToken)
    {
        await using var command = ReconcileStore.Command(connection, transaction, """
            SELECT seq, verdict, digest, candidates FROM reconcile_result
            WHERE municipality_code = @m AND run_id = @run AND file_id = @file AND line_number = @line AND digest IS NOT NULL
            """, ("m", municipality.Value), ("run", runId), ("file", fileId), ("line", line));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new DecidableRow(runId, Convert.ToInt64(reader.GetValue(0), null), fileId, line, reader.GetString(1), reader.GetString(2),
            JsonSerializer.Deserialize<List<CandidateVersion>>(reader.GetString(3), Json) ?? []);
    }

    /// <summary>Every remembered decision of the municipality, oldest first.</summary>
    public static Task<List<RememberedDecision>> ReadAllAsync(DbConnection connection, MunicipalityCode municipality, CancellationToken cancellationToken) =>
        ReadAsync(connection, null, "municipality_code = @m", [("m", municipality.Value)], cancellationToken);

    /// <summary>The decisions taken on one list row.</summary>
    public static Task<List<RememberedDecision>> OfRowAsync(DbConnection connection, DbTransaction? transaction, MunicipalityCode municipality, long fileId, long line,
        CancellationToken cancellationToken) =>
        ReadAsync(connection, transaction, "municipality_code = @m AND file_id = @file AND line_number = @line", [("m", municipality.Value), ("file", fileId), ("line", line)],
            cancellationToken);

    private static async Task<List<RememberedDecision>> ReadAsync(DbConnection connection, DbTransaction? transaction, string where, (string, object?)[] parameters,
        CancellationToken cancellationToken)
    {
        var found = new List<RememberedDecision>();
        await using var command = ReconcileStore.Command(connection, transaction, $"""
            SELECT file_id, line_number, identity_key, atena_number, same, report_run_id, decided_run_id, decided_on, decided_by
            FROM match_decision WHERE {where} ORDER BY decided_run_id, decision_id
            """, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            found.Add(new RememberedDecision(Convert.ToInt64(reader.GetValue(0), null), Convert.ToInt64(reader.GetValue(1), null), reader.GetString(2), reader.GetString(3),
                Convert.ToBoolean(reader.GetValue(4), null), Convert.ToInt64(reader.GetValue(5), null), Convert.ToInt64(reader.GetValue(6), null),
                DbValues.Date(reader, 7)!.Value, reader.GetString(8)));
        return found;
    }

    /// <summary>Remembers a decision; false when that row already has one about that person (a workbook applied twice).</summary>
    public static async Task<bool> AddAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, RememberedDecision decision,
        CancellationToken cancellationToken)
    {
        await using var command = ReconcileStore.Command(connection, transaction, """
            INSERT INTO match_decision (municipality_code, file_id, line_number, identity_key, atena_number, same, report_run_id, decided_run_id, decided_on, decided_by)
            VALUES (@m, @file, @line, @key, @atena, @same, @report, @run, @on, @by)
            ON CONFLICT (municipality_code, file_id, line_number, atena_number) DO NOTHING
            """, ("m", municipality.Value), ("file", decision.FileId), ("line", decision.LineNumber), ("key", decision.IdentityKey), ("atena", decision.AtenaNumber),
            ("same", decision.Same), ("report", decision.ReportRunId), ("run", decision.DecidedRunId), ("on", decision.DecidedOn), ("by", decision.DecidedBy));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Forgets a decision the given run took (undo); false when it is not there (forgotten already).</summary>
    public static async Task<bool> RemoveAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long fileId, long line, string atena,
        long decidedRunId, CancellationToken cancellationToken)
    {
        await using var command = ReconcileStore.Command(connection, transaction, """
            DELETE FROM match_decision WHERE municipality_code = @m AND file_id = @file AND line_number = @line AND atena_number = @atena AND decided_run_id = @run
            """, ("m", municipality.Value), ("file", fileId), ("line", line), ("atena", atena), ("run", decidedRunId));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Whether a decision about that row and person is on record.</summary>
    public static async Task<bool> ExistsAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long fileId, long line, string atena,
        CancellationToken cancellationToken)
    {
        await using var command = ReconcileStore.Command(connection, transaction, """
            SELECT count(*) FROM match_decision WHERE municipality_code = @m AND file_id = @file AND line_number = @line AND atena_number = @atena
            """, ("m", municipality.Value), ("file", fileId), ("line", line), ("atena", atena));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }
}
