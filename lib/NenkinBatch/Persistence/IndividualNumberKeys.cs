using System.Globalization;
using NenkinBatch.Runtime;

namespace NenkinBatch.Persistence;

/// <summary>Finds the 個人番号 key for a job: the configured file, or on SQLite the one beside the database.</summary>
public static class IndividualNumberKeys
{
    /// <summary>
    /// The key is created on first use only while no 個人番号 is stored: once numbers exist, a missing
    /// key means a wrong setting or a lost key, and making a new one would strand every stored number.
    /// </summary>
    public static async Task<IndividualNumberProtector> OpenAsync(JobContext context, CancellationToken cancellationToken)
    {
        var keyFile = context.Settings.KeyFile
            ?? (context.Store.Kind == StoreKind.Sqlite
                ? context.Store.Target.Display + ".key"
                : throw new OperatorException(ExitCode.UsageError, "PostgreSQL では個人番号の暗号鍵ファイルを設定 keyFile（環境変数 NENKIN_KEY_FILE）で指定してください。"));
        var stored = await context.ReadAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT (SELECT count(*) FROM person_individual_number WHERE municipality_code = @m)
                     + (SELECT count(*) FROM jps_result WHERE municipality_code = @m AND number_digest IS NOT NULL)
                """;
            var parameter = command.CreateParameter();
            parameter.ParameterName = "m";
            parameter.Value = context.Municipality.Value;
            command.Parameters.Add(parameter);
            return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }, cancellationToken);
        return IndividualNumberProtector.FromKeyFile(keyFile, createIfMissing: stored == 0);
    }
}
