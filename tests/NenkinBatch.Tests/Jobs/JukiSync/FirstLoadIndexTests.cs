using NenkinBatch.Foundation;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.JukiSync;

/// <summary>
/// A first load builds the people's secondary indexes once at its end (docs/architecture.md, "住基 sync"): afterwards they are the
/// migrations' own, and a first load stopped before its end has them restored by the next run.
/// </summary>
public class FirstLoadIndexTests
{
    private static readonly string[] Indexes = ["ix_individual_number_digest", "ix_person_birth"];

    /// <summary>The indexes' definitions as the store keeps them (SQLite drops "IF NOT EXISTS" from the text it keeps).</summary>
    private static Task<List<string>> DefinitionsAsync(TestDatabase database) => database.RowsAsync(database.Kind == TestDatabase.Postgres
        ? $"SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN ('{string.Join("','", Indexes)}') ORDER BY indexname"
        : $"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN ('{string.Join("','", Indexes)}') ORDER BY name");

    private static string File(TestDatabase database, string name, params int[] people)
    {
        var rows = new JukiRows();
        foreach (var person in people) rows.Row(person, 1, "10", ("birth_date", $"19{person % 90 + 10}0101"));
        return rows.Write(Path.Combine(database.Directory, name));
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task FirstLoad_EndsWithTheMigrationsIndexes_AndAStoppedOnesAreRestoredByTheNextRun(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var migrated = await DefinitionsAsync(database);
        migrated.Count.ShouldBe(2);

        // A dry run changes nothing, the indexes included.
        var (dry, _) = await JukiSyncJobTests.SyncAsync(database, [File(database, "dry.csv", 1, 2, 3)], dryRun: true);
        dry.ExitCode.ShouldBe((int)ExitCode.Success, dry.Error);
        (await DefinitionsAsync(database)).ShouldBe(migrated);

        var (first, counts) = await JukiSyncJobTests.SyncAsync(database, [File(database, "history.csv", 1, 2, 3, 4, 5)], chunkSize: 2);
        first.ExitCode.ShouldBe((int)ExitCode.Success, first.Error);
        counts["people_created"].ShouldBe(5);
        (await DefinitionsAsync(database)).ShouldBe(migrated);

        // What a first load stopped between its first chunk and its end leaves: people on file, the indexes not built yet.
        foreach (var index in Indexes) await database.ExecuteAsync($"DROP INDEX {index}");
        var (next, nextCounts) = await JukiSyncJobTests.SyncAsync(database, [File(database, "delta.csv", 6)]);
        next.ExitCode.ShouldBe((int)ExitCode.Success, next.Error);
        nextCounts["people_created"].ShouldBe(1);
        next.Out.ShouldContain("索引 2 個を作り直しました");
        (await DefinitionsAsync(database)).ShouldBe(migrated);

        // And with them there, a run says nothing of them.
        var (quiet, _) = await JukiSyncJobTests.SyncAsync(database, [File(database, "delta-2.csv", 7)]);
        quiet.Out.ShouldNotContain("索引");
    }
}
