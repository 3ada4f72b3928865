using System.Data.Common;
using Microsoft.Data.Sqlite;
using NenkinBatch.Domain;
using NenkinBatch.Foundation;

namespace NenkinBatch.Persistence.Sqlite;

/// <summary>The embedded store: one file, WAL, and an OS file lock per job for one-at-a-time.</summary>
public sealed class SqliteStore(DatabaseTarget target) : Store(target)
{
    private static ReadOnlySpan<byte> Header => "SQLite format 3\0"u8;

    private string FilePath => new SqliteConnectionStringBuilder(Target.ConnectionString).DataSource;

    private string Folder => Path.GetDirectoryName(FilePath)!;

    private const string Names = "--db、設定 db、環境変数 NENKIN_DB";

    public override string MigrationFolder => "sqlite";

    public override void CheckUsable(bool creating)
    {
        // Closing any handle of the database or its -wal/-shm files drops every POSIX lock this process holds on them,
        // SQLite's included: no connection of this process may stay open across the checks below (in a job's own
        // process there is none yet; a host that ran something before, as the tests do, has idle pooled ones).
        SqliteConnection.ClearAllPools();
        var path = FilePath;
        if (Directory.Exists(path))
            throw new OperatorException(ExitCode.UsageError, $"データベース {path} はフォルダーです。{Names} には SQLite のデータベースファイルのパスを指定してください。");
        if (!File.Exists(path))
        {
            if (creating) return;
            throw new OperatorException(ExitCode.UsageError,
                $"データベース {path} がありません。{Names} のパスを確認してください。新しいデータベースは nenkin-admin db migrate で作成します。");
        }
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> header = stackalloc byte[Header.Length];
            var read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            // An empty file is an empty database to SQLite; anything else must start with its header.
            if (read > 0 && !header[..read].SequenceEqual(Header))
                throw new OperatorException(ExitCode.UsageError, $"{path} は SQLite のデータベースではありません。{Names} のパスを確認してください。");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new OperatorException(ExitCode.UsageError,
                $"データベース {path} に書き込めません（読み取り専用か、この利用者（{Environment.UserName}）に書き込み権限がありません）。ファイルの権限と {Names} のパスを確認してください。", e);
        }
        // SQLite writes its -wal and -shm files, and the job its lock file, beside the database.
        PrivateFolder.CheckWritable(Folder, "データベースのフォルダー", Names);
        // A run under another account (root, an administrator) can leave them behind, and SQLite then cannot open the database.
        foreach (var companion in new[] { "-wal", "-shm", "-journal" }.Select(suffix => path + suffix).Where(File.Exists))
        {
            try
            {
                using var file = new FileStream(companion, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (FileNotFoundException)
            {
                // Gone since it was seen: another process's last connection closed and SQLite removed it. Nothing to check.
            }
            catch (UnauthorizedAccessException e)
            {
                throw new OperatorException(ExitCode.UsageError,
                    $"データベースの作業ファイル {companion} に書き込めません（別の利用者で実行したときに残ったものかもしれません）。" +
                    $"この利用者（{Environment.UserName}）が書き込めるよう、所有者と権限をデータベースと同じにしてください。", e);
            }
        }
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(Target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        // WAL lets reports read while a job writes; synchronous=NORMAL is durable against a killed
        // process (only a power cut can lose the last commits, and those roll back whole with their checkpoint).
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public override Task<IJobLock?> TryLockJobAsync(string job, MunicipalityCode municipality, CancellationToken cancellationToken)
    {
        // The OS releases the lock when the holder dies, however it dies: a killed run never leaves it held.
        var path = $"{FilePath}.{municipality.Value}.{job}.lock";
        try
        {
            return Task.FromResult<IJobLock?>(new FileJobLock(new FileStream(path, PrivateFolder.OwnerOnlyFileOptions(FileMode.OpenOrCreate, FileAccess.ReadWrite))));
        }
        catch (UnauthorizedAccessException e)
        {
            throw new OperatorException(ExitCode.UsageError,
                $"ロックファイル {path} を作れません（この利用者（{Environment.UserName}）に権限がありません）。データベースのフォルダーの権限を確認してください。", e);
        }
        catch (IOException)
        {
            return Task.FromResult<IJobLock?>(null);
        }
    }

    public override async Task<bool> IsNewAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(FilePath)) return true;
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migration'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 0;
    }

    public override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask; // BEGIN IMMEDIATE already holds the file's write lock.

    /// <summary>
    /// Creates the database file, empty (SQLite takes an empty file for an empty database), owner-only whatever the umask:
    /// SQLite gives its -wal and -shm files the database file's permissions.
    /// </summary>
    public override Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(FilePath)) return Task.CompletedTask;
        PrivateFolder.Prepare(Folder, "データベースのフォルダー", Names);
        try
        {
            using var file = new FileStream(FilePath, PrivateFolder.OwnerOnlyFileOptions(FileMode.CreateNew, FileAccess.Write));
        }
        catch (IOException) when (File.Exists(FilePath))
        {
            // Another migrator created it a moment ago.
        }
        return Task.CompletedTask;
    }

    public override Members.IMemberWriter CreateMemberWriter() => new SqliteMemberWriter();

    public override Jps.JpsResultStore CreateJpsResultStore() => new SqliteJpsResultStore();

    public override Audit.IAuditWriter CreateAuditWriter() => new SqliteAuditWriter();
}
