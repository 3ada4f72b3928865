using NenkinBatch.Foundation;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.EndToEnd;

/// <summary>nenkin-import killed at random points of a large file, then rerun: the same content as one uninterrupted import.</summary>
public class ImportKillTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_KilledAtFiveRandomPoints_RerunEndsAsOneUninterruptedImport(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var city = Path.Combine(database.Directory, "city");
        new CityGenerator(new CityOptions { People = 30_000, Seed = 5, JpsRows = 120_000, JukiChanges = 10 }).Generate(city);
        var file = Path.Combine(city, CityFiles.JpsCsvFile);
        var env = database.Environment();
        var random = new Random(kind.Length * 104729);

        for (var kill = 0; kill < 5; kill++)
        {
            using var process = AdminProcess.StartDll(AdminProcess.ImportDll, database.Directory, env, file);
            // Wait until the file is being read, then let it run a random while before the kill.
            while (await process.StandardOutput.ReadLineAsync() is { } line && !line.Contains("を取り込みます", StringComparison.Ordinal)) { }
            await Task.Delay(random.Next(0, 900));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            var rows = await database.CountAsync("jps_result");
            rows.ShouldBeOneOf(0L, 120_000L); // a file is in whole or not at all
            if (rows > 0) break;
        }

        var rerun = await AdminProcess.RunDllAsync(AdminProcess.ImportDll, database.Directory, env, file);
        rerun.ExitCode.ShouldBe(0, rerun.All);
        (await database.CountAsync("jps_result")).ShouldBe(120_000);
        (await database.CountAsync("jps_result_file")).ShouldBe(1);

        await using var reference = await TestDatabase.CreateMigratedAsync(kind);
        var settings = reference.Settings() with { KeyFile = database.KeyFile };
        (await InProcess.RunAsync(new NenkinBatch.Jobs.Import.ImportJob(new() { Files = [file] }), settings)).ExitCode.ShouldBe(0);
        const string content = """
            SELECT line_number, filing_code, received_on, processed_on, basic_pension_number, kana_name, kanji_name, birth_date, sex, postal_code, address,
                   insured_category, acquired_on, acquisition_reason, lost_on, loss_reason, result, error_code, error_text, number_digest, warnings
            FROM jps_result ORDER BY line_number
            """;
        var (actual, expected) = (await database.RowsAsync(content), await reference.RowsAsync(content));
        actual.Count.ShouldBe(expected.Count);
        actual.Except(expected).Take(3).ShouldBeEmpty();
    }
}
