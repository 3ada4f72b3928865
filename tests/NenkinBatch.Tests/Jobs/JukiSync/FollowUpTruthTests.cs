using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.JukiSync;

/// <summary>
/// The follow-ups the sync raises for a generated city, after its initial history and two daily deltas, equal the generator's truth:
/// no follow-up missing, none extra, each with its status (open, withdrawn by a 取消し, resolved when a gap filled).
/// </summary>
public class FollowUpTruthTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task GeneratedCity_HistoryThenTwoDeltas_FollowUpsEqualTheGeneratorsTruth(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var city = Path.Combine(database.Directory, "city");
        var options = new CityOptions { People = 3000, Seed = 12 };
        new CityGenerator(options).Generate(city);
        (await InProcess.RunAsync(new LoadMembersJob(Path.Combine(city, CityFiles.MembersFile)), database.Settings())).ExitCode.ShouldBe(0);

        // Each file in its own run, on the day after it was made; a gap left at the end of a run is a follow-up at once.
        var day = 0;
        foreach (var file in new[] { CityFiles.JukiHistoryFile, CityFiles.JukiDelta1File, CityFiles.JukiDelta2File })
        {
            var clock = new ManualClock(new DateTimeOffset(options.AsOf.AddDays(++day).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));  // 09:00 in Tokyo
            var (run, _) = await JukiSyncJobTests.SyncAsync(database, [Path.Combine(city, file)], gapDays: 0, clock: clock, chunkSize: 700);
            run.ExitCode.ShouldBeOneOf([0, 10], run.Error);
        }

        var truth = File.ReadAllLines(Path.Combine(city, CityFiles.FollowUpsFile)).Skip(1).Select(l => l.Split(','))
            .Select(t => $"{t[0]}|{t[1]}|{t[2]}|{t[3]}|{t[4]}|{t[5]}").Order(StringComparer.Ordinal).ToList();
        var raised = (await database.RowsAsync("SELECT kind, atena_number, history_number, file_name, line_number, status FROM follow_up"))
            .Select(r => r.Replace("∅", "", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        truth.Count.ShouldBeGreaterThan(50);
        raised.Except(truth).ShouldBeEmpty("follow-ups the truth does not have");
        truth.Except(raised).ShouldBeEmpty("follow-ups the sync did not raise");
        raised.Count.ShouldBe(truth.Count);
    }
}
