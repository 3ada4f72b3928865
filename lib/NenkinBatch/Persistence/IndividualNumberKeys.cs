using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using NenkinBatch.Domain;
using NenkinBatch.Foundation;

namespace NenkinBatch.Persistence;

/// <summary>How the key file in force stood against the check value the store had recorded.</summary>
public enum KeyCheckOutcome
{
    /// <summary>The recorded check value is this key's.</summary>
    Matched,
    /// <summary>Nothing was recorded and no number is stored: this key is now the store's.</summary>
    RecordedFirst,
    /// <summary>Numbers were stored before any check value was (an installation older than the check): this key's is now recorded.</summary>
    RecordedOverStoredNumbers,
    /// <summary>Another key's value was recorded, but no number is stored under it any more: this key's replaces it.</summary>
    Replaced,
}

/// <summary>The key in force, checked against the store, and how many 個人番号 the store held.</summary>
public sealed record CheckedKey(IndividualNumberProtector Protector, KeyCheckOutcome Outcome, long NumbersStored);

/// <summary>A key against the store's recorded check value: recorded at all, this key's, and the 個人番号 stored.</summary>
public sealed record KeyInspection(bool Recorded, bool Matches, long NumbersStored);

/// <summary>
/// Finds the 個人番号 key of a store — the configured file, or on SQLite the one beside the database — and checks that
/// it is the key the store's numbers were sealed with, by the check value recorded when a key was first used.
/// </summary>
public static class IndividualNumberKeys
{
    /// <summary>The key file in force: the configured one, else (SQLite only) <c>&lt;database&gt;.key</c> beside the file.</summary>
    public static string KeyFileOf(Store store, string? configuredKeyFile) => KeyFileOf(store.Target, configuredKeyFile);

    /// <inheritdoc cref="KeyFileOf(Store, string?)"/>
    public static string KeyFileOf(DatabaseTarget target, string? configuredKeyFile) =>
        configuredKeyFile
        ?? (target.Kind == StoreKind.Sqlite
            ? target.Display + ".key"
            : throw new OperatorException(ExitCode.UsageError, "PostgreSQL では個人番号の暗号鍵ファイルを設定 keyFile（環境変数 NENKIN_KEY_FILE）で指定してください。"));

    /// <summary>How many 個人番号 (sealed, or as JPS's digest) the store holds for a municipality.</summary>
    public static Task<long> CountStoredAsync(DbConnection connection, DbTransaction? transaction, MunicipalityCode municipality, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT (SELECT count(*) FROM person_individual_number WHERE municipality_code = @M)
                 + (SELECT count(*) FROM jps_result WHERE municipality_code = @M AND number_digest IS NOT NULL)
            """, new { M = municipality.Value }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// The key is created on first use only while no 個人番号 is stored: once numbers exist, a missing
    /// key means a wrong setting or a lost key, and making a new one would strand every stored number.
    /// </summary>
    public static IndividualNumberProtector Open(string keyFile, long numbersStored) =>
        IndividualNumberProtector.FromKeyFile(keyFile, createIfMissing: numbersStored == 0);

    /// <summary>
    /// Opens the key file in force and compares its check value with the one the store recorded, in the caller's
    /// transaction; nothing of any person is read but the count. A different key while numbers are stored is refused
    /// (exit 30): sealing and digesting under it would make every new number disagree with every stored one. With no
    /// value recorded yet, this key's is recorded; with another key's recorded but no number stored, it is replaced.
    /// </summary>
    public static async Task<CheckedKey> OpenCheckedAsync(DbConnection connection, DbTransaction transaction, string keyFile, MunicipalityCode municipality,
        long runId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await CountStoredAsync(connection, transaction, municipality, cancellationToken);
        var protector = Open(keyFile, stored);
        var check = protector.KeyCheck(municipality.Value);
        var values = new { M = municipality.Value, Check = check, Now = now, Run = runId };

        var recorded = await RecordedCheckAsync(connection, transaction, municipality, cancellationToken);
        if (recorded is null)
        {
            var inserted = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO individual_number_key_check (municipality_code, key_check, recorded_at, recorded_run_id)
                VALUES (@M, @Check, @Now, @Run)
                ON CONFLICT (municipality_code) DO NOTHING
                """, values, transaction, cancellationToken: cancellationToken));
            if (inserted == 1) return new CheckedKey(protector, stored == 0 ? KeyCheckOutcome.RecordedFirst : KeyCheckOutcome.RecordedOverStoredNumbers, stored);
            // Another job recorded one between the read and the insert: compare with that.
            recorded = await RecordedCheckAsync(connection, transaction, municipality, cancellationToken) ?? [];
        }
        if (CryptographicOperations.FixedTimeEquals(recorded, check)) return new CheckedKey(protector, KeyCheckOutcome.Matched, stored);
        if (stored > 0)
            throw new OperatorException(ExitCode.RefusedBySafetyRule,
                $"個人番号の暗号鍵ファイル {keyFile} の鍵は、このデータベースに保存済みの個人番号（{stored:N0} 件）を暗号化した鍵と違います。何も変更せずに停止しました。" +
                "鍵ファイルを正しいもの（データベースと一緒にバックアップした鍵）に戻すか、設定 keyFile（環境変数 NENKIN_KEY_FILE）で正しい鍵ファイルを指定してから再実行してください。" +
                "保存済みの個人番号がある間は鍵ファイルを新しく作らないでください（保存済みの個人番号が読めなくなり、照合もできなくなります）。");
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE individual_number_key_check SET key_check = @Check, recorded_at = @Now, recorded_run_id = @Run
            WHERE municipality_code = @M
            """, values, transaction, cancellationToken: cancellationToken));
        return new CheckedKey(protector, KeyCheckOutcome.Replaced, stored);
    }

    /// <summary>
    /// How a key stands against the store, read only: whether a check value is recorded, whether it is this key's, and how
    /// many numbers are stored. For an operator's check before a job runs (<c>nenkin-admin doctor</c>): it writes nothing,
    /// where <see cref="OpenCheckedAsync"/> records a first value, and it opens no number.
    /// </summary>
    public static async Task<KeyInspection> InspectAsync(DbConnection connection, IndividualNumberProtector protector, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        var stored = await CountStoredAsync(connection, null, municipality, cancellationToken);
        var recorded = await RecordedCheckAsync(connection, null, municipality, cancellationToken);
        return new KeyInspection(recorded is not null, recorded is not null && CryptographicOperations.FixedTimeEquals(recorded, protector.KeyCheck(municipality.Value)), stored);
    }

    private static async Task<byte[]?> RecordedCheckAsync(DbConnection connection, DbTransaction? transaction, MunicipalityCode municipality, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition(
            "SELECT key_check FROM individual_number_key_check WHERE municipality_code = @M",
            new { M = municipality.Value }, transaction, cancellationToken: cancellationToken));
}
