using System.Text.Json;
using NenkinBatch.Foundation;
using NenkinBatch.Jobs.JukiSync;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.JukiSync;

public class JukiSyncJobTests
{
    private static readonly ManualClock Day1 = new(new DateTimeOffset(2026, 10, 3, 1, 0, 0, TimeSpan.Zero));

    internal static async Task<(InProcess.Run Run, Dictionary<string, long> Counts)> SyncAsync(TestDatabase database, string[] files, int gapDays = 3,
        bool dryRun = false, int chunkSize = 5000, TimeProvider? clock = null, string? reportDirectory = null)
    {
        var settings = database.Settings(chunkSize);
        var job = new JukiSyncJob(new JukiSyncOptions { Files = files, GapFollowUpDays = gapDays, Settle = TimeSpan.Zero, Clock = clock ?? Day1, ReportDirectory = reportDirectory });
        var run = await InProcess.RunAsync(job, settings, dryRun, clock: clock ?? Day1);
        run.Summary.ShouldNotBeNull(run.Error);
        using var summary = JsonDocument.Parse(run.Summary);
        return (run, summary.RootElement.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));
    }

    /// <summary>Everything the sync keeps, without run numbers and ids (which differ between runs that end in the same state).</summary>
    internal static async Task<List<string>> StateAsync(TestDatabase database)
    {
        var state = new List<string>();
        state.AddRange(await database.RowsAsync("""
            SELECT atena_number, name, name_kana, common_name, birth_date, birth_date_text, sex, resident_kind, resident_status, household_number, relationship,
                   postal_code, address, address_suffix, became_resident_on, moved_out_to, removed_on, nationality, disclosure_block, juki_history_number, juki_changes
            FROM person ORDER BY atena_number
            """));
        state.AddRange(await database.RowsAsync("SELECT atena_number, number_digest FROM person_individual_number ORDER BY atena_number"));
        state.AddRange(await database.RowsAsync("SELECT atena_number, history_number, change_reason, valid_from, postal_code, address, address_suffix, cancelled_by FROM person_address_history ORDER BY atena_number, history_number"));
        state.AddRange(await database.RowsAsync("SELECT atena_number, history_number, change_reason, valid_from, name, name_kana, common_name, cancelled_by FROM person_name_history ORDER BY atena_number, history_number"));
        state.AddRange(await database.RowsAsync("SELECT atena_number, history_number, line_number, snapshot, first_seen_on FROM juki_pending ORDER BY atena_number, history_number"));
        state.AddRange(await database.RowsAsync("SELECT kind, source_key, atena_number, history_number, status, what_happened, due_on FROM follow_up ORDER BY kind, source_key"));
        return state;
    }

    private static string Delta1(TestDatabase database) => new JukiRows()
        .Row(1, 1, "10", ("changed_on", "20260920"))
        .Row(1, 2, "30", ("address", "千葉県千葉市中央区中央２丁目２番２号"), ("changed_on", "20260925"))
        .Row(2, 1, "12", ("birth_date", "20260901"))
        .Row(3, 1, "10")
        .Row(3, 3, "31", ("name", "試験　花子"), ("address", "千葉県千葉市緑区あすみが丘１丁目２番３号"))  // 2 is in the next day's file: 3 waits
        .Write(Path.Combine(database.Directory, "delta-1.csv"));

    private static string Delta2(TestDatabase database) => new JukiRows()
        .Row(3, 2, "30", ("address", "千葉県千葉市緑区あすみが丘１丁目２番３号"), ("changed_on", "20260801"))  // back-dated
        .Row(1, 3, "32")
        .Row(4, 1, "10")
        .Write(Path.Combine(database.Directory, "delta-2.csv"));

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Delta_AppliedTwice_SecondChangesNothing_TwoDeltasInEitherOrder_EndInTheSameState(string kind)
    {
        await using var inOrder = await TestDatabase.CreateMigratedAsync(kind);
        var (first, firstCounts) = await SyncAsync(inOrder, [Delta1(inOrder)]);
        first.ExitCode.ShouldBe((int)ExitCode.Success, first.Error);
        (firstCounts["applied"], firstCounts["held"], firstCounts["people_created"]).ShouldBe((4L, 1L, 3L));
        var afterFirst = await StateAsync(inOrder);
        var audit = await inOrder.CountAsync("audit_log");

        var (again, againCounts) = await SyncAsync(inOrder, [Delta1(inOrder)]);
        again.ExitCode.ShouldBe((int)ExitCode.Success);
        againCounts["files_skipped"].ShouldBe(1);
        (await StateAsync(inOrder)).ShouldBe(afterFirst);
        (await inOrder.CountAsync("audit_log")).ShouldBe(audit);

        var (second, secondCounts) = await SyncAsync(inOrder, [Delta2(inOrder)]);
        second.ExitCode.ShouldBe((int)ExitCode.Success, second.Error);
        (secondCounts["applied"], secondCounts["released"], secondCounts["held"]).ShouldBe((4L, 1L, 0L));

        // The same two files, the next day's first: person 3's 2 and 3 wait for 1, then all apply in order.
        await using var reversed = await TestDatabase.CreateMigratedAsync(kind);
        var (early, earlyCounts) = await SyncAsync(reversed, [Delta2(reversed)]);
        early.ExitCode.ShouldBe((int)ExitCode.Success, early.Error);
        earlyCounts["held"].ShouldBe(2);  // person 3's 2 (no 1 yet) and person 1's 3
        var (late, _) = await SyncAsync(reversed, [Delta1(reversed)]);
        late.ExitCode.ShouldBe((int)ExitCode.Success, late.Error);

        (await StateAsync(reversed)).ShouldBe(await StateAsync(inOrder));
        (await inOrder.CountAsync("juki_pending")).ShouldBe(0);
        (await inOrder.RowsAsync($"SELECT juki_history_number, address FROM person WHERE atena_number = '{JukiRows.Atena(3)}'"))
            .ShouldBe(["3|千葉県千葉市緑区あすみが丘１丁目２番３号"]);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Rows1235_ThenTheNextDay4_PersonAt5_HistoryHolds1To5InOrder_NothingAppliedOutOfOrder(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var atena = JukiRows.Atena(7);
        string Place(int n) => $"千葉県千葉市中央区中央{n}丁目{n}番{n}号";
        var firstDay = new JukiRows()
            .Row(7, 5, "30", ("address", Place(5)), ("changed_on", "20260901"))
            .Row(7, 2, "30", ("address", Place(2)), ("changed_on", "20260930"))
            .Row(7, 1, "10", ("address", Place(1)), ("changed_on", "20260101"))
            .Row(7, 3, "30", ("address", Place(3)), ("changed_on", "20260601"))
            .Write(Path.Combine(database.Directory, "day-1.csv"));
        var (first, firstCounts) = await SyncAsync(database, [firstDay]);
        first.ExitCode.ShouldBe(0, first.Error);
        (firstCounts["applied"], firstCounts["held"]).ShouldBe((3L, 1L));
        (await database.RowsAsync($"SELECT juki_history_number, address FROM person WHERE atena_number = '{atena}'")).ShouldBe([$"3|{Place(3)}"]);
        (await database.RowsAsync("SELECT history_number FROM juki_pending")).ShouldBe(["5"]);

        var secondDay = new JukiRows().Row(7, 4, "30", ("address", Place(4)), ("changed_on", "20260815")).Write(Path.Combine(database.Directory, "day-2.csv"));
        var (second, secondCounts) = await SyncAsync(database, [secondDay], clock: new ManualClock(Day1.GetUtcNow().AddDays(1)));
        second.ExitCode.ShouldBe(0, second.Error);
        (secondCounts["applied"], secondCounts["released"]).ShouldBe((2L, 1L));

        (await database.RowsAsync($"SELECT juki_history_number, address FROM person WHERE atena_number = '{atena}'")).ShouldBe([$"5|{Place(5)}"]);
        (await database.RowsAsync($"SELECT juki_changes FROM person WHERE atena_number = '{atena}'"))
            .ShouldBe(["1:10:20260101;2:30:20260930;3:30:20260601;4:30:20260815;5:30:20260901"]);
        (await database.RowsAsync("SELECT history_number, address, valid_from FROM person_address_history ORDER BY history_number")).ShouldBe([
            $"1|{Place(1)}|2026-01-01", $"2|{Place(2)}|2026-09-30", $"3|{Place(3)}|2026-06-01", $"4|{Place(4)}|2026-08-15", $"5|{Place(5)}|2026-09-01"]);
        // In order: each audit row's after is one step further than the one before, whatever the 異動日 said.
        var afters = await database.RowsAsync("SELECT after_data FROM audit_log WHERE table_name = 'person' ORDER BY audit_id");
        afters.Select(a => JsonDocument.Parse(a).RootElement.GetProperty("history_number").GetInt32()).ShouldBe([3, 5]);
        // The creation names only the 履歴番号 it reached (its values are the person's row); the update keeps before and after.
        JsonDocument.Parse(afters[0]).RootElement.TryGetProperty("resident", out _).ShouldBeFalse();
        JsonDocument.Parse(afters[1]).RootElement.GetProperty("resident").GetProperty("address").GetString().ShouldBe(Place(5));
        (await database.RowsAsync("SELECT action FROM audit_log WHERE table_name = 'person' ORDER BY audit_id")).ShouldBe(["INSERT", "UPDATE"]);
        (await database.CountAsync("juki_pending")).ShouldBe(0);
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Tenkyo_CancelledBy39_LeavesNoFormerAddress_AndNoOpenFollowUp(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var atena = JukiRows.Atena(8);
        var home = "千葉県千葉市中央区中央１丁目１番１号";
        // On the 国民年金 file with an open 資格: a 転居 raises a follow-up (a flag).
        await SeedPersonWithOpenQualificationAsync(database, atena);
        var history = new JukiRows().Row(8, 1, "10", ("address", home), ("changed_on", "20200401"), ("processed_on", "20200401")).Write(Path.Combine(database.Directory, "h.csv"));
        (await SyncAsync(database, [history])).Run.ExitCode.ShouldBe(0);

        var moved = new JukiRows().Row(8, 2, "30", ("address", "千葉県千葉市美浜区幸町１丁目１番１号"), ("changed_on", "20260920")).Write(Path.Combine(database.Directory, "d1.csv"));
        (await SyncAsync(database, [moved])).Run.ExitCode.ShouldBe(0);
        (await database.RowsAsync("SELECT kind, status FROM follow_up")).ShouldBe(["move|OPEN"]);

        var cancelled = new JukiRows().Row(8, 3, "39", ("address", home), ("changed_on", "20260920")).Write(Path.Combine(database.Directory, "d2.csv"));
        var (run, counts) = await SyncAsync(database, [cancelled]);
        run.ExitCode.ShouldBe(0, run.Error);
        counts["cancelled"].ShouldBe(1);

        (await database.RowsAsync($"SELECT address FROM person WHERE atena_number = '{atena}'")).ShouldBe([home]);
        // Former addresses are the standing (not cancelled) ones other than the current: none.
        (await database.RowsAsync($"SELECT address FROM person_address_history WHERE atena_number = '{atena}' AND cancelled_by IS NULL")).ShouldBe([home]);
        (await database.RowsAsync("SELECT history_number, cancelled_by FROM person_address_history WHERE cancelled_by IS NOT NULL")).ShouldBe(["2|3"]);
        (await database.RowsAsync($"SELECT juki_changes FROM person WHERE atena_number = '{atena}'")).ShouldBe(["1:10:20200401;2:30:20260920:x3;3:39:20260920"]);
        (await database.RowsAsync("SELECT kind, status FROM follow_up")).ShouldBe(["move|WITHDRAWN"]);
        File.ReadAllText(Path.Combine(database.ReportDirectory, $"juki-followups-{RunId(run)}.csv")).ShouldContain("取下げ");
    }

    internal static long RunId(InProcess.Run run) => JsonDocument.Parse(run.Summary!).RootElement.GetProperty("run_id").GetInt64();

    internal static async Task SeedPersonWithOpenQualificationAsync(TestDatabase database, string atena)
    {
        var file = Path.Combine(database.Directory, $"members-{atena}.csv");
        await File.WriteAllTextAsync(file,
            string.Join(",", NenkinBatch.Formats.Members.MembersCsvReader.Columns) + "\r\n" +
            $"{atena},1234567890,試験　太郎8,シケン　タロウ,19800115,1,2600013,千葉県千葉市中央区中央１丁目１番１号,,1,,1,20000115,01,,,\r\n");
        var run = await InProcess.RunAsync(new NenkinBatch.Jobs.LoadMembers.LoadMembersJob(file), database.Settings());
        run.ExitCode.ShouldBe(0, run.Error);
    }
}
