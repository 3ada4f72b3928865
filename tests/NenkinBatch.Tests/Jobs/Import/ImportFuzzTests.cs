using System.Text.Json;
using NenkinBatch.Foundation;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Runtime;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.Import;

/// <summary>
/// Hundreds of damaged files — bytes flipped, lines cut, fields shifted, records doubled — and the
/// importer never crashes, never hangs, and always either imports (every row accounted for) or rejects with a message.
/// </summary>
public class ImportFuzzTests
{
    private const int FilesPerLayout = 150;

    [Theory]
    [InlineData(CityFiles.JpsCsvFile)]
    [InlineData(CityFiles.JpsFixedFile)]
    public async Task Import_MutatedFiles_NeverCrashOrHang_AlwaysImportOrReject(string sample)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(TestDatabase.Sqlite);
        var original = await File.ReadAllBytesAsync(Path.Combine(AdminProcess.RepositoryRoot, "samples", "city", sample));
        var random = new Random(sample.Length * 31337);
        var outcomes = new Dictionary<int, int>();

        for (var n = 0; n < FilesPerLayout; n++)
        {
            var path = Path.Combine(database.Directory, $"fuzz-{n}{Path.GetExtension(sample)}");
            await File.WriteAllBytesAsync(path, Mutate(original, random));
            var import = ImportJobTests.ImportAsync(database, new ImportOptions { Files = [path], Settle = TimeSpan.Zero });
            var finished = await Task.WhenAny(import, Task.Delay(TimeSpan.FromSeconds(60)));
            finished.ShouldBe(import, $"import of mutation {n} did not finish within a minute");
            var (run, counts) = await import;

            run.ExitCode.ShouldBeOneOf((int)ExitCode.Success, (int)ExitCode.CompletedWithRowErrors, (int)ExitCode.InputRejected);
            run.Error.ShouldNotContain("予期しないエラー");
            if (run.ExitCode == (int)ExitCode.InputRejected)
                run.Error.ShouldContain($"fuzz-{n}");
            else
                (counts["imported"] + counts["rejected"]).ShouldBe(counts["read"]);
            outcomes[run.ExitCode] = outcomes.GetValueOrDefault(run.ExitCode) + 1;
        }
        // The mutations must exercise both ends: some files taken with rejected rows, some refused whole.
        outcomes.Keys.ShouldContain((int)ExitCode.CompletedWithRowErrors);
        outcomes.Keys.ShouldContain((int)ExitCode.InputRejected);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 2; m++)
        {
            switch (random.Next(8))
            {
                case 7: // a digit of a data row made a letter: that row rejected, the file taken
                    var digit = Enumerable.Range(0, 40).Select(_ => random.Next(302, bytes.Count - 302)).FirstOrDefault(i => bytes[i] is >= (byte)'0' and <= (byte)'9', -1);
                    if (digit >= 0) bytes[digit] = (byte)'A';
                    break;
                case 0: // flip bytes
                    for (var i = random.Next(1, 8); i > 0; i--) bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                    break;
                case 1: // cut the file short
                    var keep = random.Next(bytes.Count / 2, bytes.Count);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                case 2: // shift fields: a separator more or less
                    var at = random.Next(bytes.Count);
                    if (random.Next(2) == 0) bytes.Insert(at, (byte)','); else bytes.RemoveAt(at);
                    break;
                case 3: // a line or a record doubled
                    var start = random.Next(bytes.Count);
                    bytes.InsertRange(start, bytes.Skip(start).Take(random.Next(1, 320)).ToList());
                    break;
                case 4: // a quote left open
                    bytes.Insert(random.Next(bytes.Count), (byte)'"');
                    break;
                case 5: // a stray line end
                    bytes.InsertRange(random.Next(bytes.Count), "\r\n"u8.ToArray());
                    break;
                default: // garbage appended
                    bytes.AddRange(Enumerable.Range(0, random.Next(1, 200)).Select(_ => (byte)random.Next(256)));
                    break;
            }
        }
        return [.. bytes];
    }
}
