using NenkinBatch.Foundation;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.JukiSync;

/// <summary>Another 市区町村's extract dropped in the inbox is the wrong file: refused whole, not a follow-up for each row.</summary>
public class WrongFileTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task EveryRowAnotherMunicipalitys_FileRefusedWhole_NothingStored_ButOneSuchRowAmongOursIsRefusedAlone(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var other = new JukiRows().Row(1, 1, "10", ("municipality_code", "131016")).Row(2, 1, "10", ("municipality_code", "131016"))
            .Write(Path.Combine(database.Directory, "other.csv"));
        var mixed = new JukiRows().Row(1, 1, "10").Row(2, 1, "10", ("municipality_code", "131016"))
            .Write(Path.Combine(database.Directory, "mixed.csv"));

        var (run, counts) = await JukiSyncJobTests.SyncAsync(database, [other]);

        run.ExitCode.ShouldBe((int)ExitCode.InputRejected, run.Error);
        (run.Out + run.Error).ShouldContain("別の市区町村（131016）");
        counts["files_rejected"].ShouldBe(1);
        (await database.CountAsync("person")).ShouldBe(0);
        (await database.CountAsync("follow_up")).ShouldBe(0);
        (await database.CountAsync("juki_file")).ShouldBe(0);

        var (second, secondCounts) = await JukiSyncJobTests.SyncAsync(database, [mixed]);
        second.ExitCode.ShouldBe((int)ExitCode.CompletedWithRowErrors, second.Error);
        (secondCounts["people_created"], secondCounts["rejected"]).ShouldBe((1L, 1L));
    }
}
