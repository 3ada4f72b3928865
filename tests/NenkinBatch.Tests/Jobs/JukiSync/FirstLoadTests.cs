using NenkinBatch.Foundation;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.JukiSync;

/// <summary>
/// A first load (docs/architecture.md, "住基 sync") decides the people it meets first while reading, and builds the people's
/// secondary indexes once at its end: it ends as a run on a store with people on file would, with the migrations' own indexes,
/// and a first load stopped before its end has them restored by the next run.
/// </summary>
public class FirstLoadTests
{
    private static readonly string[] Indexes = ["ix_individual_number_digest", "ix_person_birth"];

    /// <summary>The indexes' definitions as the store keeps them, without the schema (SQLite drops "IF NOT EXISTS" from the text it keeps).</summary>
    internal static Task<List<string>> DefinitionsAsync(TestDatabase database) => database.RowsAsync(database.Kind == TestDatabase.Postgres
        ? $"SELECT indexname, replace(indexdef, current_schema() || '.', '') FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN ('{string.Join("','", Indexes)}') ORDER BY indexname"
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

    /// <summary>
    /// The same file as a first load and as a run on a store that has someone else on file already: every person ends alike —
    /// a 記載 cancelled by 19 (its history's only entry undone), a 転居 cancelled by 39, a name change, rows out of order, a gap,
    /// a duplicate, a refused row — with one chunk per person or so, so that people also straddle chunks.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task FirstLoad_DecidesEveryPersonAsARunOnAFilledStoreWould(string kind)
    {
        const string Home = "千葉県千葉市中央区中央１丁目１番１号", Moved = "千葉県千葉市美浜区幸町２丁目２番２号";
        string History(TestDatabase database) => new JukiRows()
            .Row(1, 1, "10", ("address", Home)).Row(1, 2, "19", ("address", Home))
            .Row(2, 1, "10", ("address", Home)).Row(2, 2, "30", ("address", Moved)).Row(2, 3, "39", ("address", Home))
            .Row(3, 2, "31", ("name", "結婚　花子")).Row(3, 1, "10")
            .Row(4, 1, "10").Row(5, 3, "30", ("address", Moved))
            .Row(6, 1, "10", ("birth_date", "19801340"))
            .Row(4, 1, "10").Row(4, 2, "30", ("address", Moved))
            .Write(Path.Combine(database.Directory, "history.csv"));

        await using var empty = await TestDatabase.CreateMigratedAsync(kind);
        var (first, firstCounts) = await JukiSyncJobTests.SyncAsync(empty, [History(empty)], chunkSize: 2);
        first.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, first.Error);

        await using var filled = await TestDatabase.CreateMigratedAsync(kind);
        var someoneElse = new JukiRows().Row(99, 1, "10").Write(Path.Combine(filled.Directory, "someone-else.csv"));
        (await JukiSyncJobTests.SyncAsync(filled, [someoneElse])).Run.ExitCode.ShouldBe((int)ExitCode.Success);
        var (later, laterCounts) = await JukiSyncJobTests.SyncAsync(filled, [History(filled)], chunkSize: 2);
        later.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, later.Error);

        var other = JukiRows.Atena(99);
        (await JukiSyncJobTests.StateAsync(empty)).ShouldBe((await JukiSyncJobTests.StateAsync(filled)).Where(line => !line.Contains(other, StringComparison.Ordinal)));
        foreach (var count in new[] { "applied", "duplicates", "held", "rejected", "cancelled", "people_created" })
            firstCounts[count].ShouldBe(laterCounts[count], count);
        (firstCounts["cancelled"], firstCounts["held"], firstCounts["duplicates"], firstCounts["rejected"]).ShouldBe((2L, 1L, 1L, 1L));
        const string audit = "SELECT record_key, action, before_data, after_data, individual_number_accessed FROM audit_log WHERE job = 'juki-sync' AND record_key NOT LIKE '%{0}%' ORDER BY record_key, audit_id";
        (await empty.RowsAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, audit, other)))
            .ShouldBe(await filled.RowsAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, audit, other)));
        // Person 1's only change was undone: its address history keeps the 記載 (marked) and the 取消し's own snapshot.
        (await empty.RowsAsync($"SELECT history_number, cancelled_by FROM person_address_history WHERE atena_number = '{JukiRows.Atena(1)}' ORDER BY history_number"))
            .ShouldBe(["1|2", "2|∅"]);
    }
}
