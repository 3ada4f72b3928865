using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;
using NenkinBatch.Foundation;

namespace NenkinBatch.Persistence;

public enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// What <c>--db</c> names: a PostgreSQL connection string (<c>Host=…</c>) or URI (<c>postgresql://…</c>),
/// or else the path of an SQLite file.
/// </summary>
public sealed partial record DatabaseTarget(StoreKind Kind, string ConnectionString, string Display)
{
    public static bool IsConnectionString(string text) =>
        text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || text.Contains('=', StringComparison.Ordinal);

    /// <summary>
    /// The text of a db setting fit to show an operator: a password, as <c>Password=…</c> (or <c>Pwd=…</c>) in a connection
    /// string or as the secret of a URI's user information, replaced by asterisks; everything else as written, so the
    /// operator recognises the value they set. Works on text that does not parse, which is when it is shown most.
    /// </summary>
    public static string Masked(string text)
    {
        var masked = PasswordPair().Replace(text, m => $"{m.Groups[1].Value}=********");
        return UriSecret().Replace(masked, m => $"{m.Groups[1].Value}:********@");
    }

    [GeneratedRegex(@"(?<![^;\s])\s*(password|pwd)\s*=\s*(""[^""]*""|'[^']*'|[^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPair();

    [GeneratedRegex(@"(://[^:/@\s]*):[^@/\s]*@")]
    private static partial Regex UriSecret();

    /// <param name="fromCommandLine">A password typed on a command line is visible to every user of the machine, so it is refused there.</param>
    public static DatabaseTarget Parse(string text, bool fromCommandLine)
    {
        if (!IsConnectionString(text))
        {
            var path = Path.GetFullPath(text);
            var sqlite = new SqliteConnectionStringBuilder
            {
                DataSource = path,
                // Never created by opening it: a mistyped path must not become a new, empty database (Store.CheckUsable says so).
                Mode = SqliteOpenMode.ReadWrite,
                // Microsoft.Data.Sqlite retries SQLITE_BUSY itself for this long before it gives up.
                DefaultTimeout = 30,
                Pooling = true,
            };
            return new DatabaseTarget(StoreKind.Sqlite, sqlite.ToString(), path);
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = text.Contains("://", StringComparison.Ordinal) ? FromUri(text) : new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException or KeyNotFoundException)
        {
            throw new OperatorException(ExitCode.UsageError, $"データベースの接続文字列が読めません（{e.GetType().Name}）。Host=…;Database=… または postgresql://… の形で指定してください。");
        }
        if (fromCommandLine && !string.IsNullOrEmpty(builder.Password))
            throw new OperatorException(ExitCode.UsageError,
                "パスワードをコマンドラインに書かないでください（スケジュールされたタスクの引数は他の利用者にも見えます）。環境変数 NENKIN_DB、設定ファイル、PGPASSWORD または .pgpass を使ってください。");
        return new DatabaseTarget(StoreKind.Postgres, builder.ConnectionString, $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}");
    }

    private static NpgsqlConnectionStringBuilder FromUri(string text)
    {
        var uri = new Uri(text);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
        }
        return builder;
    }
}
