using NenkinBatch.Foundation;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.EndToEnd;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.JukiSync;

/// <summary>
/// What the list of refused rows may show of a row: the values that were wrong, so the clerk can fix them — but never a
/// 支援措置 person's address however the row says it, nothing from a row whose values sit under the wrong columns, and no
/// 11 digits of a 個人番号. And a 処理日 mistyped years ahead is refused, not taken as the file's newest.
/// </summary>
public class RefusedRowPrivacyTests
{
    private const string BlockedAddress = "秘密県秘密市秘密町１番", BlockedSuffix = "秘密荘101", ShiftedAddress = "見本県見本市見本町２番";

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task RefusedRows_ShowNoBlockedAddressNoShiftedValueNoNumber_AndAFuture処理日IsRefused(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var number = Households.IndividualNumberOf(5);
        var first = new JukiRows()
            .Row(1, 1, "10", ("address", BlockedAddress), ("address_suffix", BlockedSuffix), ("postal_code", "9990001"), ("disclosure_block", "1"))
            .Row(3, 1, "10")
            // 履歴番号 3 sets 支援措置 but waits for 2: the person is not under it on file yet, only in the waiting row.
            .Row(12, 1, "10")
            .Row(12, 3, "30", ("address", "秘密県秘密市秘密町３番"), ("disclosure_block", "1"))
            .Write(Path.Combine(database.Directory, "history.csv"));
        (await JukiSyncJobTests.SyncAsync(database, [first])).Run.ExitCode.ShouldBe((int)ExitCode.Success);

        var delta = new JukiRows()
            // On file under 支援措置; the row says 0 (a lift) but is refused for its 方書: the sync knows the person, the row does not.
            .Row(1, 2, "30", ("address", BlockedAddress), ("address_suffix", "秘密荘\t101"), ("postal_code", "9990001"), ("disclosure_block", "0"))
            // The row's own 支援措置 is unreadable: nobody can tell, so no address.
            .Row(6, 1, "10", ("address", "秘密県\t秘密市"), ("disclosure_block", "１"))
            // An unquoted comma in the name: every later value one column to the right, the 個人番号 in 支援措置's.
            .Row(2, 1, "10", ("name", "中村,蓮"), ("address", ShiftedAddress), ("address_suffix", "見本荘303"), ("individual_number", number))
            // An ordinary person's doubtful value is shown (a warning; the row is kept): the list is of use to the clerk.
            .Row(3, 2, "30", ("postal_code", "12A4567"))
            // 処理日 mistyped decades ahead: refused, and not the file's newest (else the next row would be too old to raise anything).
            .Row(4, 1, "10", ("processed_on", "20621002"))
            .Row(5, 1, "10")
            // The missing 2 comes, saying 0, refused for its 方書: the waiting row says the person is under 支援措置.
            .Row(12, 2, "30", ("address_suffix", "秘密荘\t202"))
            // A row setting 支援措置 refused for another field, then the person's next row refused for its 住所: never stored
            // under 支援措置, but the file says so.
            .Row(11, 1, "10", ("disclosure_block", "1"), ("sex", "9"))
            .Row(11, 2, "30", ("address", "秘密県\t秘密市"));
        var path = delta.Write(Path.Combine(database.Directory, "delta.csv"));
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"中村,蓮\"", "中村,蓮", StringComparison.Ordinal));

        var (run, counts) = await JukiSyncJobTests.SyncAsync(database, [path]);

        run.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, run.Error);
        counts["rejected"].ShouldBe(7, string.Join("\n", await database.RowsAsync("SELECT * FROM run_problem")));
        var problems = await database.RowsAsync("SELECT * FROM run_problem");
        var followUps = await database.RowsAsync("SELECT what_happened, what_to_do FROM follow_up");
        var outputs = string.Join("\n", problems) + string.Join("\n", followUps) + run.Out + run.Error + run.Summary
            + DisclosureBlockChainTests.OutputsUnder(database.LogDirectory) + DisclosureBlockChainTests.OutputsUnder(database.ReportDirectory);
        outputs.ShouldContain("12A4567");
        outputs.ShouldContain(NenkinBatch.Formats.Juki.DisclosureBlock.Hidden);
        foreach (var secret in new[] { "秘密", "見本", number[..11], number[1..] }) outputs.ShouldNotContain(secret);
        problems.ShouldContain(p => p.Contains("処理日", StringComparison.Ordinal) && p.Contains("20621002", StringComparison.Ordinal));
        (await database.RowsAsync($"SELECT kind FROM follow_up WHERE atena_number = '{JukiRows.Atena(5)}'")).ShouldBe(["acquisition-candidate"]);
    }
}
