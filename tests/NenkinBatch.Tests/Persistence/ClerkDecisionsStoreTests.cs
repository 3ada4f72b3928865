using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Reconcile;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Persistence;

/// <summary>The rows a report run keeps for the clerk's decisions, stored a chunk at a time (by COPY on PostgreSQL).</summary>
public class ClerkDecisionsStoreTests
{
    private static List<DecidableRow> Rows(long runId, long fileId, int from, int count) =>
        Enumerable.Range(from, count).Select(i => new DecidableRow(runId, i, fileId, i + 1, i % 2 == 0 ? "要確認" : "市未登録", $"{i:x16}",
            i % 2 == 0 ? [new CandidateVersion($"10000{i:D5}", 3), new CandidateVersion($"20000{i:D5}", 4)] : [])).ToList();

    private static async Task StoreAsync(TestDatabase database, IReadOnlyCollection<DecidableRow> rows)
    {
        await using var connection = await database.Store.OpenAsync(default);
        await using var transaction = await connection.BeginTransactionAsync();
        await ClerkDecisions.StoreRowsAsync(connection, transaction, TestDatabase.Municipality, rows, default);
        await transaction.CommitAsync();
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task StoredChunks_ReadBackAsWritten_ARetriedChunkAddsNothing(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var run = await new RunRegistry(database.Store, TimeProvider.System).StartAsync(TestDatabase.Municipality, "reconcile", "p", "k", null, default);
        await database.ExecuteAsync($"""
            INSERT INTO jps_result_file (municipality_code, file_name, sha256, layout, encoding, imported_run_id, imported_at)
            VALUES ('{TestDatabase.Municipality.Value}', 'jps.csv', 'x', 'jps-result-csv', 'UTF-8', {run}, '2026-12-01T00:00:00Z')
            """);
        var file = (await database.RowsAsync("SELECT file_id FROM jps_result_file")).Single();
        var first = Rows(run, long.Parse(file), 0, 700);
        var second = Rows(run, long.Parse(file), 700, 300);

        await StoreAsync(database, first);
        await StoreAsync(database, second);
        await StoreAsync(database, second); // a chunk whose commit's reply was lost, run again

        (await database.CountAsync("reconcile_result")).ShouldBe(1000);
        await using var connection = await database.Store.OpenAsync(default);
        foreach (var expected in new[] { first[0], first[1], second[^1] })
        {
            var found = await ClerkDecisions.FindRowAsync(connection, null, TestDatabase.Municipality, run, expected.FileId, expected.LineNumber, default);
            found.ShouldNotBeNull();
            (found.Seq, found.Verdict, found.Digest).ShouldBe((expected.Seq, expected.Verdict, expected.Digest));
            found.Candidates.ShouldBe(expected.Candidates);
        }
    }
}
