using System.Globalization;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Jobs.Purge;
using NenkinBatch.Persistence.Purge;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Jobs.Purge;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Synthetic;

/// <summary>
/// The generated old data and its truth file agree with the purge: loaded, its holds added and its old files in the report, log
/// and inbox folders, a plan as of the city's date names exactly the records retention-truth.csv says must go — and the city's
/// own files are the same bytes with or without the old data.
/// </summary>
public class RetentionCityTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Plan_OnTheGeneratedOldData_NamesExactlyWhatTheTruthFileSaysMustGo(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var options = new CityOptions { People = 30, RetentionPeople = 400, Seed = 7 };
        var city = Path.Combine(database.Directory, "city");
        new CityGenerator(options).Generate(city);
        var settings = database.Settings();
        var clock = new ManualClock(PurgeWorld.At(options.AsOf, 10));
        (await InProcess.RunAsync(new LoadMembersJob(Path.Combine(city, RetentionCity.MembersFile)), settings, clock: clock)).ExitCode.ShouldBe(0);
        foreach (var hold in File.ReadAllLines(Path.Combine(city, RetentionCity.HoldsFile)).Skip(1).Select(l => l.Split(',')))
        {
            var until = DateOnly.ParseExact(hold[2], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            (await InProcess.RunAsync(new PurgeHoldJob(new HoldTarget(PurgeHold.PersonKind, hold[0]), add: true, hold[1], until), settings, clock: clock)).ExitCode.ShouldBe(0);
        }
        var old = Path.Combine(city, RetentionCity.OldFilesFolder);
        var inbox = Path.Combine(database.Directory, "inbox");
        foreach (var (from, to) in new[] { ("reports", settings.ReportDirectory), ("logs", settings.LogDirectory), ("inbox", inbox) })
        {
            foreach (var file in Directory.GetFiles(Path.Combine(old, from), "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(to, Path.GetRelativePath(Path.Combine(old, from), file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
                File.SetLastWriteTimeUtc(target, File.GetLastWriteTimeUtc(file));
            }
        }

        var plan = new PurgePlanJob(options.AsOf, [inbox]);
        var run = await InProcess.RunAsync(plan, settings, clock: clock);
        run.ExitCode.ShouldBe(0, run.Error);
        var truth = File.ReadAllLines(Path.Combine(city, RetentionCity.TruthFile)).Skip(1).Select(l => l.Split(',')).ToList();
        truth.Select(t => t[3]).Distinct().Count().ShouldBeGreaterThanOrEqualTo(8, "every case is drawn");
        var mustGo = truth.Where(t => t[2] == "erase").Select(t => $"{t[0]}:{Path.GetFileName(t[1])}").Order(StringComparer.Ordinal).ToList();
        var planned = (await database.RowsAsync($"SELECT kind, record_key FROM purge_plan_item WHERE plan_id = {plan.PlanId}"))
            .Select(r => r.Split('|')).Select(r => $"{r[0]}:{Path.GetFileName(r[1])}").Order(StringComparer.Ordinal).ToList();
        planned.ShouldBe(mustGo);
    }

    [Fact]
    public void Generate_WithOldData_LeavesTheCitysOwnFilesByteForByte()
    {
        var plain = TestDatabase.CreateDirectory();
        var withOld = TestDatabase.CreateDirectory();
        try
        {
            new CityGenerator(new CityOptions { People = 200, Seed = 3 }).Generate(plain);
            new CityGenerator(new CityOptions { People = 200, Seed = 3, RetentionPeople = 50 }).Generate(withOld);
            foreach (var file in Directory.GetFiles(plain))
                File.ReadAllBytes(Path.Combine(withOld, Path.GetFileName(file))).ShouldBe(File.ReadAllBytes(file), Path.GetFileName(file));
            File.Exists(Path.Combine(withOld, RetentionCity.TruthFile)).ShouldBeTrue();
            File.Exists(Path.Combine(plain, RetentionCity.TruthFile)).ShouldBeFalse();
        }
        finally
        {
            Directory.Delete(plain, true);
            Directory.Delete(withOld, true);
        }
    }
}
