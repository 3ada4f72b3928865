using NenkinBatch.Domain;
using NenkinBatch.Foundation;
using NenkinBatch.Matching;
using NenkinBatch.Persistence.Reconcile;
using NenkinBatch.Runtime;

namespace NenkinBatch.Jobs.Reconcile;

/// <summary>Turns what the store yields into what the matcher compares: the index of the people on file, and a row's identity.</summary>
internal static class MatchingInputs
{
    /// <summary>What a stored list row says of its person.</summary>
    public static ReportedIdentity Identity(this StoredJpsRow row) =>
        new(row.BasicPensionNumber, row.KanaName, row.KanjiName, row.BirthDate, row.Sex, row.Address, row.NumberDigest);

    /// <summary>The matcher over everyone on file, with their 資格 periods (read side by side), as reconcile and decide use it.</summary>
    public static async Task<Matcher> LoadMatcherAsync(JobContext context, CancellationToken cancellationToken)
    {
        var comparer = PersonComparer.BuiltIn;
        var phase = System.Diagnostics.Stopwatch.StartNew();
        var periods = context.ReadAsync((c, ct) => ReconcileStore.LoadPeriodsAsync(c, context.Municipality, ct), cancellationToken);
        var people = LoadPeopleAsync(context, comparer.Kanji, cancellationToken);
        await Task.WhenAll(periods, people);
        var index = await people;
        AttachPeriods(index, await periods);
        context.Log.Info("市の記録 {0:N0} 人を読み込みました（{1:F1} 秒）。", index.Count, phase.Elapsed.TotalSeconds);
        return new Matcher(index, comparer, context.Settings.MatchThresholds);
    }

    /// <summary>Everyone on file with their 個人番号 digest, prepared for matching (their 資格 periods: <see cref="AttachPeriods"/>).</summary>
    public static Task<PersonIndex> LoadPeopleAsync(JobContext context, KanjiName kanji, CancellationToken cancellationToken) =>
        context.ReadAsync(async (connection, ct) =>
        {
            var index = new PersonIndex();
            var former = await ReconcileStore.ReadFormerAsync(connection, context.Municipality, ct);
            var parallel = new ParallelOptions { CancellationToken = ct };
            // Three stages at once: reading; preparing the comparison forms of a batch (NFC/NFKC, kana levels, the address: the
            // costly part) on every core; and adding the batch before it to the index, which turns its forms into keys and
            // lets them go (adding is one at a time).
            (PersonOnFile[] People, Task<ComparisonForms[]> Forms)? previous = null;
            await foreach (var batch in ReadAhead.Batches(c => ReconcileStore.ReadPeopleAsync(connection, context.Municipality, c), 4096, 4, ct))
            {
                var people = batch.ConvertAll(p => OnFile(p, former)).ToArray();
                var forms = Task.Run(() =>
                {
                    var prepared = new ComparisonForms[people.Length];
                    Parallel.For(0, people.Length, parallel, i => prepared[i] = people[i].Forms(kanji));
                    return prepared;
                }, ct);
                if (previous is { } before) AddAll(index, before.People, await before.Forms);
                previous = (people, forms);
            }
            if (previous is { } last) AddAll(index, last.People, await last.Forms);
            return index;
        }, cancellationToken);

    private static PersonOnFile OnFile(StoredPerson p, Dictionary<string, (List<FormerValue> Addresses, List<FormerName> Names)> former)
    {
        var history = former.GetValueOrDefault(p.AtenaNumber);
        return new(new Candidate(p.AtenaNumber, p.BasicPensionNumber, p.Name, p.NameKana, p.BirthDate, p.Sex, p.Address, p.NumberDigest, AlphabetName.IsAlphabet(p.Name)),
            p.AddressSuffix)
        {
            UpdatedRunId = p.UpdatedRunId, DisclosureBlock = p.DisclosureBlock,
            FormerAddresses = history.Addresses ?? [], FormerNames = history.Names ?? [],
        };
    }

    private static void AddAll(PersonIndex index, PersonOnFile[] people, ComparisonForms[] forms)
    {
        for (var i = 0; i < people.Length; i++) index.Add(people[i], forms[i]);
    }

    /// <summary>Gives each person on file their periods (those of 宛名番号 not on file are nobody's).</summary>
    public static void AttachPeriods(PersonIndex index, Dictionary<string, List<PeriodOnFile>> periods)
    {
        foreach (var person in index.People)
        {
            if (periods.TryGetValue(person.AtenaNumber, out var list)) person.Periods.AddRange(list);
        }
    }
}
