using NenkinBatch.Foundation;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Synthetic;

/// <summary>The committed sample city is exactly what the generator writes, and the jobs take it whole.</summary>
public class SamplesTests
{
    private static string SampleCity => Path.Combine(AdminProcess.RepositoryRoot, "samples", "city");

    [Fact]
    public void SampleCity_IsWhatGenerateWritesToday()
    {
        var fresh = Directory.CreateTempSubdirectory("nenkin-sample-").FullName;
        try
        {
            new CityGenerator(new CityOptions { People = 400, Seed = 2026 }).Generate(fresh);
            foreach (var file in Directory.GetFiles(fresh))
                File.ReadAllBytes(file).ShouldBe(File.ReadAllBytes(Path.Combine(SampleCity, Path.GetFileName(file))),
                    $"samples/city/{Path.GetFileName(file)} is stale: rerun nenkin-admin generate --people 400 --seed 2026 --out samples/city");
        }
        finally
        {
            Directory.Delete(fresh, true);
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task SampleMembers_LoadWithoutARejectedRow(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var run = await InProcess.RunAsync(new LoadMembersJob(Path.Combine(SampleCity, CityFiles.MembersFile)), database.Settings());
        run.ExitCode.ShouldBe(0, run.Error);
        run.Summary!.ShouldContain("\"rejected\": 0");
        (await database.CountAsync("person")).ShouldBe(236);
        // The register's characters survive the round trip through both stores.
        (await database.RowsAsync("SELECT name FROM person")).ShouldContain(n => n.EnumerateRunes().Any(r => r.Value > 0xFFFF) || n.Contains('\uFA11') || n.Contains('髙'));
    }
}
