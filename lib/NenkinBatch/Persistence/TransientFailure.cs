using Microsoft.Data.Sqlite;
using Npgsql;

namespace NenkinBatch.Persistence;

/// <summary>Which database failures may pass if the work is tried again, for either store.</summary>
public static class TransientFailure
{
    public static bool Is(Exception exception) => exception switch
    {
        // SQLITE_BUSY, SQLITE_LOCKED: another connection holds the file longer than the busy timeout.
        SqliteException s => s.SqliteErrorCode is 5 or 6,
        // 57P01..57P03: the server or an administrator ended the session; 40001/40P01: retry the transaction; 08: connection failures.
        PostgresException p => p.IsTransient || p.SqlState is "57P01" or "57P02" or "57P03" or "40001" or "40P01" || p.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException n => n.IsTransient || n.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        _ => false,
    };
}
