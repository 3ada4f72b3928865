using System.Data.Common;
using Dapper;
using NenkinBatch.Domain;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Jps;

namespace NenkinBatch.Persistence.Jps;

/// <summary>A 処理結果一覧表 file already taken in.</summary>
public sealed class ImportedFile
{
    public long FileId { get; set; }
    public string FileName { get; set; } = "";
    public long ImportedRunId { get; set; }
    public object? ImportedAtRaw { get; set; }
    public long RowCount { get; set; }
    public DateTimeOffset ImportedAt => DbValues.Instant(ImportedAtRaw)!.Value;
}

/// <summary>Where the rows of one file go, as they are read: one binary COPY on PostgreSQL, one prepared insert on SQLite.</summary>
public interface IJpsRowSink : IAsyncDisposable
{
    /// <param name="numberDigest">The keyed digest of the row's 個人番号, if it has one; the number itself is not kept.</param>
    ValueTask AddAsync(JpsResultRow row, string? warnings, byte[]? numberDigest, CancellationToken cancellationToken);

    /// <summary>Ends the stream; nothing else may use the connection before this (a COPY holds it).</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The JPS side of the schema: files by content (SHA-256), their rows, their rejected rows. The SQL is
/// the same on both stores but for how rows are streamed in (<see cref="OpenRowSinkAsync"/>).
/// </summary>
public abstract class JpsResultStore
{
    protected const string RowColumns =
        "municipality_code, file_id, line_number, filing_code, received_on, processed_on, basic_pension_number, kana_name, kanji_name, birth_date, sex, " +
        "postal_code, address, insured_category, acquired_on, acquisition_reason, lost_on, loss_reason, result, error_code, error_text, number_digest, warnings";

    public async Task<ImportedFile?> FindImportedAsync(DbConnection connection, MunicipalityCode municipality, string sha256, CancellationToken cancellationToken) =>
        await connection.QueryFirstOrDefaultAsync<ImportedFile>(new CommandDefinition("""
            SELECT file_id AS FileId, file_name AS FileName, imported_run_id AS ImportedRunId, imported_at AS ImportedAtRaw, row_count AS RowCount
            FROM jps_result_file WHERE municipality_code = @M AND sha256 = @Sha AND replaced_by_run_id IS NULL
            """, new { M = municipality.Value, Sha = sha256 }, cancellationToken: cancellationToken));

    public async Task<long> AddFileAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, InputFile input, string layout,
        long runId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO jps_result_file (municipality_code, file_name, sha256, layout, encoding, imported_run_id, imported_at)
            VALUES (@M, @Name, @Sha, @Layout, @Encoding, @Run, @Now) RETURNING file_id
            """, new { M = municipality.Value, input.Name, Sha = input.Sha256, Layout = layout, Encoding = input.Encoding.WebName, Run = runId, Now = now },
            transaction, cancellationToken: cancellationToken));

    public async Task FinishFileAsync(DbConnection connection, DbTransaction transaction, MunicipalityCode municipality, long fileId, long rows,
        IReadOnlyList<RowProblem> rejected, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE jps_result_file SET row_count = @Rows, rejected_count = @Rejected WHERE file_id = @Id",
            new { Id = fileId, Rows = rows, Rejected = rejected.Select(p => p.Line).Distinct().Count() }, transaction, cancellationToken: cancellationToken));
        if (rejected.Count == 0) return;
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO jps_result_rejected (municipality_code, file_id, seq, line_number, field, value, reason)
            VALUES (@M, @File, @Seq, @Line, @Field, @Value, @Reason)
            """, rejected.Select((p, i) => new { M = municipality.Value, File = fileId, Seq = i + 1, Line = p.Line ?? 0, p.Field, p.Value, p.Reason }),
            transaction, cancellationToken: cancellationToken));
    }

    /// <summary>An earlier import of the same content, replaced on the operator's word: its rows go, the file record stays, marked.</summary>
    public async Task<long> ReplaceAsync(DbConnection connection, DbTransaction transaction, long fileId, long runId, CancellationToken cancellationToken)
    {
        var rows = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM jps_result WHERE file_id = @Id", new { Id = fileId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM jps_result_rejected WHERE file_id = @Id", new { Id = fileId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("UPDATE jps_result_file SET replaced_by_run_id = @Run WHERE file_id = @Id", new { Id = fileId, Run = runId }, transaction, cancellationToken: cancellationToken));
        return rows;
    }

    public abstract Task<IJpsRowSink> OpenRowSinkAsync(DbConnection connection, DbTransaction transaction, long fileId, CancellationToken cancellationToken);
}
