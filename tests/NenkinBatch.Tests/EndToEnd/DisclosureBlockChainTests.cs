using System.IO.Compression;
using System.Text;
using NenkinBatch.Formats;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Jobs.Reconcile;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Jobs.Import;
using NenkinBatch.Tests.Jobs.JukiSync;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>支援措置 (DV等): while it is set, where the person lives appears in no output of any job of the nightly chain.</summary>
public class DisclosureBlockChainTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task ChainRun_WithDisclosureBlockSet_NoOutputFileLogOrConsoleLineHoldsTheAddress(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var city = Path.Combine(database.Directory, "city");
        new CityGenerator(new CityOptions { People = 3000, Seed = 11, JpsRows = 600, JukiChanges = 20 }).Generate(city);
        var members = File.ReadAllLines(Path.Combine(city, CityFiles.MembersFile)).Skip(1).Select(l => l.Split(',')).GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First());
        // People whose list row has the address of the filing, not today's: the report would show both addresses side by side.
        var movers = File.ReadAllLines(Path.Combine(city, CityFiles.TruthFile)).Skip(1).Select(l => l.Split(','))
            .Where(t => t[0] == "jps" && t[3].Contains("old-address", StringComparison.Ordinal) && members.ContainsKey(t[2]))
            .Select(t => t[2]).Distinct().Order(StringComparer.Ordinal).ToList();
        movers.Count.ShouldBeGreaterThanOrEqualTo(4);
        var blocked = movers.Where((_, i) => i % 2 == 0).ToList();
        var shown = movers.Where((_, i) => i % 2 == 1).ToList();
        var jpsLines = File.ReadAllLines(Path.Combine(city, CityFiles.JpsCsvFile), TextEncodings.Cp932Strict);
        var truthRows = File.ReadAllLines(Path.Combine(city, CityFiles.TruthFile)).Skip(1).Select(l => l.Split(',')).Where(t => t[0] == "jps").ToList();
        string ListAddress(string atena) => jpsLines[int.Parse(truthRows.First(t => t[2] == atena)[1], System.Globalization.CultureInfo.InvariantCulture)]
            .Split(',')[JpsAddressColumn(jpsLines[0])];

        // The register sets 支援措置 for half of them (a first snapshot, then 35), leaves the other half as they are.
        var juki = new JukiRows();
        foreach (var atena in movers)
        {
            var m = members[atena];
            (string, string)[] snapshot = [("atena_number", atena), ("name", m[2]), ("name_kana", m[3]), ("birth_date", m[4]), ("sex", m[5]),
                ("postal_code", m[6]), ("address", m[7]), ("address_suffix", m[8]), ("changed_on", "20100401"), ("processed_on", "20100401")];
            juki.Row(0, 1, "10", snapshot);
            if (blocked.Contains(atena)) juki.Row(0, 2, "35", [.. snapshot, ("disclosure_block", "1"), ("changed_on", "20260920"), ("processed_on", "20260921")]);
        }
        var jukiFile = juki.Write(Path.Combine(database.Directory, "juki.csv"));

        var console = new StringBuilder();
        (await InProcess.RunAsync(new NenkinBatch.Jobs.LoadMembers.LoadMembersJob(Path.Combine(city, CityFiles.MembersFile)), database.Settings())).ExitCode.ShouldBe(0);
        var (sync, _) = await JukiSyncJobTests.SyncAsync(database, [jukiFile]);
        sync.ExitCode.ShouldBe(0, sync.Error);
        var (import, _) = await ImportJobTests.ImportAsync(database, new ImportOptions { Files = [Path.Combine(city, CityFiles.JpsCsvFile), Path.Combine(city, CityFiles.JpsFixedFile)] });
        import.ExitCode.ShouldBe(0, import.Error);
        var reconcile = await InProcess.RunAsync(new ReconcileJob(new ReconcileOptions()), database.Settings());
        reconcile.ExitCode.ShouldBeOneOf(0, 10);
        foreach (var run in new[] { sync, import, reconcile }) console.Append(run.Out).Append(run.Error).Append(run.Summary);

        var outputs = console + OutputsUnder(database.LogDirectory) + OutputsUnder(database.ReportDirectory);
        // The check can fail: the report does show addresses side by side, for the people without 支援措置.
        outputs.ShouldContain("住所: 機構=");
        shown.ShouldNotBeEmpty();
        foreach (var atena in blocked)
        {
            var m = members[atena];
            outputs.ShouldNotContain(m[7], customMessage: $"{atena} の現住所: " + string.Join("\n", outputs.Split('\n').Where(l => l.Contains(m[7], StringComparison.Ordinal)).Select(l => l.Length > 400 ? l[..400] : l)));
            outputs.ShouldNotContain(ListAddress(atena), customMessage: $"{atena} の機構の住所");
            if (m[8].Length > 0) outputs.ShouldNotContain(m[8]);
        }
        outputs.ShouldContain(NenkinBatch.Formats.Juki.DisclosureBlock.Hidden);
    }

    private static int JpsAddressColumn(string header) => Array.IndexOf(header.Split(','), "住所");

    /// <summary>Every file a run left in a folder as text, workbooks unpacked.</summary>
    internal static string OutputsUnder(string folder)
    {
        var text = new StringBuilder();
        if (!Directory.Exists(folder)) return "";
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
            {
                using var zip = ZipFile.OpenRead(file);
                foreach (var entry in zip.Entries)
                {
                    using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                    text.Append(reader.ReadToEnd());
                }
            }
            else text.Append(File.ReadAllText(file));
        }
        return text.ToString();
    }
}
