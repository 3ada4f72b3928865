using System.Data.Common;
using System.Globalization;
using NenkinBatch.Domain;
using NenkinBatch.Foundation;

namespace NenkinBatch.Persistence;

/// <summary>Finds the 個人番号 key of a store: the configured file, or on SQLite the one beside the database.</summary>
public static class IndividualNumberKeys
{
    /// <summary>The key file in force: the configured one, else (SQLite only) <c>&lt;database&gt;.key</c> beside the file.</summary>
    public static string KeyFileOf(Store store, string? configuredKeyFile) =>
        configuredKeyFile
        ?? (store.Kind == StoreKind.Sqlite
            ? store.Target.Display + ".key"
            : throw new OperatorException(ExitCode.UsageError, "PostgreSQL では個人番号の暗号鍵ファイルを設定 keyFile（環境変数 NENKIN_KEY_FILE）で指定してください。"));

    /// <summary>How many 個人番号 (sealed, or as JPS's digest) the store holds for a municipality.</summary>
    public static async Task<long> CountStoredAsync(DbConnection connection, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT count(*) FROM person_individual_number WHERE municipality_code = @m)
                 + (SELECT count(*) FROM jps_result WHERE municipality_code = @m AND number_digest IS NOT NULL)
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "m";
        parameter.Value = municipality.Value;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The key is created on first use only while no 個人番号 is stored: once numbers exist, a missing
    /// key means a wrong setting or a lost key, and making a new one would strand every stored number.
    /// </summary>
    public static IndividualNumberProtector Open(string keyFile, long numbersStored) =>
        IndividualNumberProtector.FromKeyFile(keyFile, createIfMissing: numbersStored == 0);
}
