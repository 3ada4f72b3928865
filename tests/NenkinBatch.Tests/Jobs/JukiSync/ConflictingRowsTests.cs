using NenkinBatch.Foundation;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.JukiSync;

/// <summary>
/// One person's 履歴番号 sent twice with different contents: not a silent duplicate whose survivor depends on row order. The
/// later line is applied (or waits), the other is refused and listed for a clerk; an exact repeat stays a duplicate.
/// </summary>
public class ConflictingRowsTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task SameHistoryNumberTwice_DifferentContents_LaterLineTaken_OtherRefusedAndListed(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var file = new JukiRows()
            .Row(7, 1, "10")
            .Row(7, 2, "30", ("address", "千葉県千葉市中央区甲１番"))   // line 3: refused
            .Row(7, 2, "30", ("address", "千葉県千葉市中央区乙２番"))   // line 4: taken (as line 5, the same again)
            .Row(7, 2, "30", ("address", "千葉県千葉市中央区乙２番"))   // line 5: the same again, the later line: applied, line 4 a duplicate
            .Row(8, 1, "10")
            .Row(8, 3, "30", ("address", "千葉県千葉市中央区丙３番"))   // line 7: refused
            .Row(8, 3, "30", ("address", "千葉県千葉市中央区丁４番"))   // line 8: waits for 履歴番号 2
            .Row(9, 1, "10")
            .Row(9, 2, "30", ("address", "千葉県千葉市中央区甲１番"))   // line 10: as line 12, a duplicate (not refused)
            .Row(9, 2, "30", ("address", "千葉県千葉市中央区乙２番"))   // line 11: refused
            .Row(9, 2, "30", ("address", "千葉県千葉市中央区甲１番"))   // line 12: applied
            .Write(Path.Combine(database.Directory, "conflict.csv"));

        var (run, counts) = await JukiSyncJobTests.SyncAsync(database, [file]);

        run.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, run.Error);
        (counts["rejected"], counts["duplicates"], counts["held"]).ShouldBe((3L, 2L, 1L));
        (await database.RowsAsync($"SELECT juki_history_number, address FROM person WHERE atena_number = '{JukiRows.Atena(7)}'"))
            .ShouldBe(["2|千葉県千葉市中央区乙２番"]);
        (await database.RowsAsync($"SELECT juki_history_number, address FROM person WHERE atena_number = '{JukiRows.Atena(9)}'"))
            .ShouldBe(["2|千葉県千葉市中央区甲１番"]);
        (await database.RowsAsync($"SELECT history_number, line_number FROM juki_pending WHERE atena_number = '{JukiRows.Atena(8)}'")).ShouldBe(["3|8"]);
        var problems = await database.RowsAsync("SELECT line_number, field, reason FROM run_problem ORDER BY line_number");
        problems.Count.ShouldBe(3);
        problems[0].ShouldStartWith("3|履歴番号|");
        problems[0].ShouldContain("5 行目");
        problems[1].ShouldStartWith("7|履歴番号|");
        problems[2].ShouldStartWith("11|履歴番号|");
        problems[2].ShouldContain("12 行目");
        (await database.RowsAsync("SELECT kind, line_number FROM follow_up WHERE kind = 'rejected-row' ORDER BY line_number")).ShouldBe(["rejected-row|3", "rejected-row|7", "rejected-row|11"]);
    }
}
