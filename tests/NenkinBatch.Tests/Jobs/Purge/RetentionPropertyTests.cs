using System.Globalization;
using CsCheck;
using NenkinBatch.Domain;
using NenkinBatch.Jobs.Purge;
using NenkinBatch.Persistence.Purge;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.Purge;

/// <summary>
/// Many generated histories (people removed or not, 資格 open or closed, numbers, lists, audit rows, runs, holds in force, lapsed or
/// lifted) and business dates, many of them on the very boundary of a period: the plan names exactly what an independent reading of
/// the policy (docs/domain.md, "Retention") says is past its period and not held — so nothing early, nothing held, nothing due left
/// out — and execute deletes exactly that and nothing else.
/// </summary>
public class RetentionPropertyTests
{
    private static int _world = 100 + Random.Shared.Next(20_000);

    private sealed record PersonCase(int Status, DateOnly? Removed, (DateOnly Acquired, DateOnly? Lost)[] Periods, bool Number, int Hold);
    private sealed record DatedCase(DateOnly Date, int Hour, int Hold);
    private sealed record AuditCase(DateOnly Date, int Hour, int AboutPerson);
    private sealed record World(DateOnly AsOf, PersonCase[] People, DatedCase[] Files, AuditCase[] Audit, DatedCase[] Runs);

    /// <summary>A date near one of the boundaries that matter (7 and 5 years before the business date, a day either side) or anywhere in twelve years.</summary>
    private static Gen<DateOnly> DateNear(DateOnly asOf) => Gen.Frequency(
        (3, Gen.Int[-4400, 400].Select(d => asOf.AddDays(d))),
        (2, Gen.Int[-2, 2].Select(d => asOf.AddYears(-7).AddDays(d))),
        (1, Gen.Int[-2, 2].Select(d => asOf.AddYears(-5).AddDays(d))));

    private static readonly Gen<World> Worlds =
        from asOfOffset in Gen.Int[0, 4000]
        let asOf = new DateOnly(2018, 1, 1).AddDays(asOfOffset)
        from people in (
            from status in Gen.Int[0, 5].Select(s => s switch { 0 or 1 => 1, 2 or 3 => 2, 4 => 3, _ => 9 })
            from removed in DateNear(asOf).Nullable()
            from periods in (from acquired in DateNear(asOf) from lost in DateNear(asOf).Nullable(0.25) select (acquired, lost)).Array[0, 3]
            from number in Gen.Bool
            from hold in Gen.Int[0, 6]
            select new PersonCase(status, removed, periods, number, hold)).Array[0, 10]
        from files in (from date in DateNear(asOf) from hour in Gen.Int[0, 23] from hold in Gen.Int[0, 6] select new DatedCase(date, hour, hold)).Array[0, 4]
        from audit in (from date in DateNear(asOf) from hour in Gen.Int[0, 23] from about in Gen.Int[-1, 9] select new AuditCase(date, hour, about)).Array[0, 5]
        from runs in (from date in DateNear(asOf) from hour in Gen.Int[0, 23] select new DatedCase(date, hour, 0)).Array[0, 3]
        select new World(asOf, people, files, audit, runs);

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task PlanAndExecute_ManyHistoriesAndDates_EraseExactlyWhatIsPastItsPeriodAndNotHeld(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        // The worlds hold numbers from the start, as a city does: the key is there before them (a job creates one only while none is stored).
        NenkinBatch.Persistence.IndividualNumberProtector.FromKeyFile(database.KeyFile, createIfMissing: true);
        var totals = new int[2];
        await Worlds.SampleAsync(async world =>
        {
            var (erased, keptPeople) = await CheckAsync(database, world);
            totals[0] += erased;
            totals[1] += keptPeople;
        }, iter: kind == TestDatabase.Sqlite ? 60 : 30, threads: 1);
        // The generated worlds must put records on both sides of the boundaries, or the property says nothing.
        totals[0].ShouldBeGreaterThan(30, "records erased across the samples");
        totals[1].ShouldBeGreaterThan(30, "people kept across the samples");
    }

    private static async Task<(int Erased, int KeptPeople)> CheckAsync(TestDatabase database, World w)
    {
        var m = PurgeWorld.CodeFor(Interlocked.Increment(ref _world));
        var world = new PurgeWorld(database, m);
        var noon = PurgeWorld.At(w.AsOf, 12);
        var clock = new ManualClock(noon);
        var expected = new HashSet<string>();
        var kept = new List<string>();

        static bool Past(DateOnly from, int years, DateOnly asOf) => asOf > from.AddYears(years);
        // Hold 1: in force; 2: lapsed the day before; 3: lifted; else none. A hold in force on its last day still holds.
        static bool InForce(int hold) => hold == 1;
        async Task HoldAsync(string holdKind, string key, int hold)
        {
            if (hold is >= 1 and <= 3) await world.AddHoldAsync(holdKind, key, hold == 2 ? w.AsOf.AddDays(-1) : w.AsOf, removed: hold == 3, noon);
        }

        for (var i = 0; i < w.People.Length; i++)
        {
            var p = w.People[i];
            var atena = PurgeWorld.Atena(i);
            await world.AddPersonAsync(atena, $"試験　{i}", p.Status, p.Removed, p.Periods, p.Number, noon);
            await HoldAsync(PurgeHold.PersonKind, atena, p.Hold);
            // The reading of the policy this test holds the job to, written apart from the job's own rules.
            var open = p.Periods.DistinctBy(q => q.Acquired).Any(q => q.Lost is null);
            var lastLost = p.Periods.DistinctBy(q => q.Acquired).Where(q => q.Lost is not null).Select(q => q.Lost!.Value).DefaultIfEmpty().Max();
            DateOnly? counted = p.Status == 1 || open ? null
                : p.Removed is { } r && lastLost != default ? (r > lastLost ? r : lastLost) : p.Removed ?? (lastLost == default ? null : lastLost);
            var personDue = counted is { } c && Past(c, 7, w.AsOf) && !InForce(p.Hold);
            if (personDue) expected.Add("person:" + atena);
            else if (counted is not null && p.Number && p.Removed is { } removed && Past(removed, 7, w.AsOf) && !InForce(p.Hold)) expected.Add("individualNumber:" + atena);
            if (!personDue) kept.Add(atena);
        }
        for (var i = 0; i < w.Files.Length; i++)
        {
            var f = w.Files[i];
            var id = await world.AddJpsFileAsync(PurgeWorld.At(f.Date, f.Hour), noon);
            await HoldAsync(PurgeHold.JpsFileKind, id.ToString(CultureInfo.InvariantCulture), f.Hold);
            if (Past(f.Date, 7, w.AsOf) && !InForce(f.Hold)) expected.Add("jpsFile:" + id);
        }
        foreach (var a in w.Audit)
        {
            var about = a.AboutPerson >= 0 && a.AboutPerson < w.People.Length ? a.AboutPerson : -1;
            var key = about >= 0 ? $"{m.Value}/person/{PurgeWorld.Atena(about)}" : $"{m.Value}/jps_result_file/999999";
            var id = await world.AddAuditRowAsync(key, PurgeWorld.At(a.Date, a.Hour), noon);
            if (Past(a.Date, 5, w.AsOf) && !(about >= 0 && InForce(w.People[about].Hold))) expected.Add("audit:" + id);
        }
        foreach (var r in w.Runs)
        {
            var id = await world.AddRunAsync("import", PurgeWorld.At(r.Date, r.Hour));
            if (Past(r.Date, 7, w.AsOf)) expected.Add("run:" + id);
        }

        var settings = database.Settings() with { Municipality = m, PurgeCapPercent = 100 };
        var plan = new PurgePlanJob(w.AsOf, []);
        var planned = await InProcess.RunAsync(plan, settings, clock: clock);
        planned.ExitCode.ShouldBe(0, planned.Error);
        var items = (await database.RowsAsync($"SELECT kind, record_key FROM purge_plan_item WHERE plan_id = {plan.PlanId}"))
            .Select(r => r.Replace('|', ':')).ToHashSet();
        items.ShouldBe(expected, ignoreOrder: true, $"as of {w.AsOf:yyyy-MM-dd}");

        var executed = await InProcess.RunAsync(new PurgeExecuteJob(plan.PlanId!.Value, items.Count, overCap: false), settings, clock: clock);
        executed.ExitCode.ShouldBe(0, executed.Error);
        (await database.RowsAsync($"SELECT count(*) FROM purge_plan_item WHERE plan_id = {plan.PlanId} AND outcome = 'DELETED'")).Single().ShouldBe(items.Count.ToString(CultureInfo.InvariantCulture));
        (await database.RowsAsync($"SELECT count(*) FROM purge_log WHERE plan_id = {plan.PlanId}")).Single().ShouldBe(items.Count.ToString(CultureInfo.InvariantCulture));
        var left = await database.RowsAsync($"SELECT atena_number FROM person WHERE municipality_code = '{m.Value}' ORDER BY atena_number");
        left.ShouldBe(kept.Order(StringComparer.Ordinal).ToList());
        var numbersLeft = (await database.RowsAsync($"SELECT atena_number FROM person_individual_number WHERE municipality_code = '{m.Value}'")).ToHashSet();
        foreach (var item in expected.Where(e => e.StartsWith("individualNumber:", StringComparison.Ordinal) || e.StartsWith("person:", StringComparison.Ordinal)))
            numbersLeft.ShouldNotContain(item[(item.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        return (expected.Count, kept.Count);
    }
}
