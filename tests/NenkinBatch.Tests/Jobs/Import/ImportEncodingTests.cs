using NenkinBatch.Foundation;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.Import;

public class ImportEncodingTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Kinds), MemberType = typeof(TestDatabase))]
    public async Task Import_Cp932WithNecSelectedIbmExtensions_Accepted_StoredAsTheCharacters(string kind)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var lines = SampleLists.CsvLines();
        // 髙 as 0xEEE0 and 﨑 as 0xED95, as Python's cp932 codec and several converters write them.
        lines[1] = SampleLists.WithField(lines[1], 6, [0xEE, 0xE0, .. SampleLists.Cp932("橋　"), 0xED, 0x95]);
        var path = SampleLists.Write(database.Directory, "nec-selected.csv", SampleLists.Join(lines));

        var (run, counts) = await ImportJobTests.ImportAsync(database, new ImportOptions { Files = [path] });

        run.ExitCode.ShouldBe((int)ExitCode.Success, run.Error);
        counts["imported"].ShouldBe(40);
        (await database.RowsAsync("SELECT kanji_name FROM jps_result ORDER BY line_number LIMIT 1")).ShouldBe(["髙橋　\uFA11"]);
    }
}
