using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using NenkinBatch.Foundation;

namespace NenkinBatch.Persistence;

/// <summary>One migration as shipped: version, name, SQL and the checksum that pins it.</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

/// <summary>One row of <c>schema_migration</c>.</summary>
public sealed class AppliedMigration
{
    public int Version { get; set; }
    public string Name { get; set; } = "";
    public string Checksum { get; set; } = "";
    public string AppliedAt { get; set; } = "";
}

/// <summary>
/// Applies the plain SQL migrations of a store, each in its own transaction with its journal row
/// (DbUp's model). Applied migrations are pinned by checksum: an edited one is an error, not a surprise.
/// </summary>
public sealed class Migrator(Store store, TimeProvider clock)
{
    private const string JournalDdl = """
        CREATE TABLE IF NOT EXISTS schema_migration (
            version    integer PRIMARY KEY,
            name       text    NOT NULL,
            checksum   text    NOT NULL,
            applied_at text    NOT NULL
        )
        """;

    public IReadOnlyList<Migration> Available { get; } = LoadEmbedded(store.MigrationFolder);

    public async Task<IReadOnlyList<AppliedMigration>> AppliedAsync(CancellationToken cancellationToken)
    {
        if (await store.IsNewAsync(cancellationToken)) return [];
        await using var connection = await store.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AppliedMigration>(new CommandDefinition(
            "SELECT version AS Version, name AS Name, checksum AS Checksum, applied_at AS AppliedAt FROM schema_migration ORDER BY version",
            cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>Applies what is pending; returns the migrations applied now (none on a second run).</summary>
    public Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(int.MaxValue, cancellationToken);

    /// <summary>Applies what is pending up to and including version <paramref name="upTo"/>: a test can leave rows in an older schema's shape, then migrate on.</summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(int upTo, CancellationToken cancellationToken)
    {
        // Read first: a current schema needs no write transaction, which on SQLite would wait behind any running job.
        if (!await store.IsNewAsync(cancellationToken) && (await PendingAsync(cancellationToken)).All(m => m.Version > upTo))
        {
            await VerifyChecksumsAsync(cancellationToken);
            return [];
        }
        await store.EnsureContainerAsync(cancellationToken);
        var applied = new List<Migration>();
        await using var connection = await store.OpenAsync(cancellationToken);
        foreach (var migration in Available.Where(m => m.Version <= upTo))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await store.LockForMigrationAsync(connection, transaction, cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(JournalDdl, transaction: transaction, cancellationToken: cancellationToken));
            var existing = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT checksum FROM schema_migration WHERE version = @Version", new { migration.Version }, transaction, cancellationToken: cancellationToken));
            if (existing is not null)
            {
                if (!string.Equals(existing, migration.Checksum, StringComparison.Ordinal))
                    throw new OperatorException(ExitCode.RefusedBySafetyRule,
                        $"適用済みのマイグレーション {migration.Version:D4}_{migration.Name} が変更されています。配布物とデータベースの版が合っているか確認してください。");
                await transaction.RollbackAsync(cancellationToken);
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migration (version, name, checksum, applied_at) VALUES (@Version, @Name, @Checksum, @AppliedAt)",
                new { migration.Version, migration.Name, migration.Checksum, AppliedAt = clock.GetUtcNow().ToString("O") }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            applied.Add(migration);
        }
        return applied;
    }

    private async Task VerifyChecksumsAsync(CancellationToken cancellationToken)
    {
        var shipped = Available.ToDictionary(m => m.Version);
        foreach (var applied in await AppliedAsync(cancellationToken))
        {
            if (shipped.TryGetValue(applied.Version, out var migration) && !string.Equals(migration.Checksum, applied.Checksum, StringComparison.Ordinal))
                throw new OperatorException(ExitCode.RefusedBySafetyRule,
                    $"適用済みのマイグレーション {migration.Version:D4}_{migration.Name} が変更されています。配布物とデータベースの版が合っているか確認してください。");
        }
    }

    /// <summary>The migrations not yet applied, in order.</summary>
    public async Task<IReadOnlyList<Migration>> PendingAsync(CancellationToken cancellationToken)
    {
        var applied = (await AppliedAsync(cancellationToken)).Select(m => m.Version).ToHashSet();
        return Available.Where(m => !applied.Contains(m.Version)).ToList();
    }

    private static List<Migration> LoadEmbedded(string folder)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"Migrations/{folder}/";
        return assembly.GetManifestResourceNames()
            .Select(resource => (resource, normalised: resource.Replace('\\', '/')))
            .Where(r => r.normalised.StartsWith(prefix, StringComparison.Ordinal) && r.normalised.EndsWith(".sql", StringComparison.Ordinal))
            .Select(r =>
            {
                var fileName = Path.GetFileNameWithoutExtension(r.normalised[prefix.Length..]);
                var separator = fileName.IndexOf('_', StringComparison.Ordinal);
                using var stream = assembly.GetManifestResourceStream(r.resource)!;
                using var reader = new StreamReader(stream, Encoding.UTF8);
                return new Migration(int.Parse(fileName.AsSpan(0, separator), provider: null), fileName[(separator + 1)..], reader.ReadToEnd());
            })
            .OrderBy(m => m.Version)
            .ToList();
    }
}
