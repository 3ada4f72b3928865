using NenkinBatch.Foundation;
using NenkinBatch.Jobs.Import;
using NenkinBatch.Synthetic;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Jobs.Import;

/// <summary>
/// Hundreds of damaged lists per layout — cut at every byte of a row, rows spoiled, bytes flipped, lines cut,
/// fields shifted, records doubled, a FIFO among them — and the importer never crashes, never hangs, stores
/// nothing of a list it refuses, and keeps every good row of a list whose damage is only in rows.
/// </summary>
public class ImportFuzzTests
{
    private const int RandomMutations = 240;
    private const int SpoiledLists = 140;
    private const int FilesPerRun = 60;
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    /// <summary>What a damaged list must come to: stored with this many rows, refused whole, or either (random damage).</summary>
    private sealed record Damaged(string Name, byte[] Bytes, int? RowsKept, bool Refused = false, bool Fifo = false);

    public static TheoryData<string, string> Cases => new()
    {
        { TestDatabase.Sqlite, CityFiles.JpsCsvFile }, { TestDatabase.Sqlite, CityFiles.JpsFixedFile },
        { TestDatabase.Postgres, CityFiles.JpsCsvFile }, { TestDatabase.Postgres, CityFiles.JpsFixedFile },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Import_DamagedLists_NeverCrashOrHang_RefusedStoreNothing_RowDamageKeepsGoodRows(string kind, string sample)
    {
        await using var database = await TestDatabase.CreateMigratedAsync(kind);
        var isCsv = sample == CityFiles.JpsCsvFile;
        // Two damaged lists with the same bytes are one list (the second is 取り込み済み): each content once.
        var contents = new HashSet<string>(StringComparer.Ordinal);
        var lists = (isCsv ? CsvLists() : FixedLists()).Where(d => d.Fifo || contents.Add(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(d.Bytes)))).ToList();
        lists.Count.ShouldBeGreaterThanOrEqualTo(500);

        var outcomes = new Dictionary<int, int>();
        foreach (var batch in lists.Chunk(FilesPerRun))
        {
            var directory = Directory.CreateDirectory(Path.Combine(database.Directory, $"batch-{outcomes.Values.Sum()}")).FullName;
            var paths = batch.Select(d => d.Fifo ? SpecialFiles.Fifo(directory, d.Name) : SampleLists.Write(directory, d.Name, d.Bytes)).ToArray();
            var (run, counts) = await ImportJobTests.ImportAsync(database, new ImportOptions { Files = paths, Settle = TimeSpan.Zero })
                .Within(RunLimit, $"the import of {batch[0].Name}…{batch[^1].Name}");

            run.ExitCode.ShouldBeOneOf((int)ExitCode.Success, (int)ExitCode.CompletedWithRowErrors, (int)ExitCode.InputRejected);
            run.Error.ShouldNotContain("予期しないエラー");
            (counts["imported"] + counts["rejected"] + counts["duplicates"]).ShouldBe(counts["read"]);
            outcomes[run.ExitCode] = outcomes.GetValueOrDefault(run.ExitCode) + batch.Length;
        }

        // Per list, from the store: the rows kept, or a refusal recorded and nothing kept.
        var stored = (await database.RowsAsync("""
            SELECT f.file_name, count(r.file_id) FROM jps_result_file f LEFT JOIN jps_result r ON r.file_id = f.file_id GROUP BY f.file_name
            """)).Select(r => r.Split('|')).ToDictionary(r => r[0], r => int.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture));
        var refused = (await database.RowsAsync("SELECT DISTINCT file_name FROM run_problem WHERE line_number IS NULL AND severity = 'error'")).ToHashSet();
        foreach (var list in lists)
        {
            var wasStored = stored.TryGetValue(list.Name, out var rows);
            (wasStored && refused.Contains(list.Name)).ShouldBeFalse($"{list.Name} both stored and refused");
            if (list.Refused) refused.ShouldContain(list.Name, $"{list.Name} should have been refused whole");
            if (list.RowsKept is { } expected)
            {
                wasStored.ShouldBeTrue($"{list.Name} should have been stored");
                rows.ShouldBe(expected, list.Name);
            }
            (wasStored || refused.Contains(list.Name)).ShouldBeTrue($"{list.Name} neither stored nor refused");
        }
        // Nothing stored but through a stored list.
        (await database.CountAsync("jps_result")).ShouldBe(stored.Values.Sum());
        outcomes.Keys.ShouldContain((int)ExitCode.CompletedWithRowErrors);
        outcomes.Keys.ShouldContain((int)ExitCode.InputRejected);
    }

    private static IEnumerable<Damaged> CsvLists()
    {
        var lines = SampleLists.CsvLines();
        var before = SampleLists.Join(lines.Take(20));
        var row = SampleLists.Join(lines.Skip(20).Take(1));
        // A cut at every byte of line 21: at its start the list is a shorter complete one; after its CR it lost only the LF;
        // anywhere else the last line has no line end.
        for (var cut = 0; cut <= row.Length - 1; cut++)
        {
            var bytes = SampleLists.Csv[..(before.Length + cut)];
            yield return cut == 0 ? new Damaged($"cut-{cut:D3}.csv", bytes, 19)
                : cut == row.Length - 1 ? new Damaged($"cut-{cut:D3}.csv", bytes, 20)
                : new Damaged($"cut-{cut:D3}.csv", bytes, null, Refused: true);
        }
        var random = new Random(2026);
        // Rows spoiled and nothing else: a date that is no date, a control character in a name; the other rows are kept.
        for (var n = 0; n < SpoiledLists; n++)
        {
            var spoiled = lines.ToList();
            var rows = Enumerable.Range(1, 40).OrderBy(_ => random.Next()).Take(random.Next(1, 6)).ToList();
            foreach (var r in rows)
            {
                var fields = SampleLists.Fields(spoiled[r]);
                spoiled[r] = n % 2 == 0
                    ? SampleLists.WithField(spoiled[r], 2, [.. fields[2][..3], (byte)'A', .. fields[2][4..]])
                    : SampleLists.WithField(spoiled[r], 6, [.. fields[6][..2], Controls[random.Next(Controls.Length)], .. fields[6][2..]]);
            }
            yield return new Damaged($"rows-{n:D3}.csv", SampleLists.Join(spoiled), 40 - rows.Count);
        }
        foreach (var damaged in RandomlyDamaged(SampleLists.Csv, "csv", random)) yield return damaged;
        yield return new Damaged("pipe.csv", [], null, Refused: true, Fifo: true);
    }

    private static IEnumerable<Damaged> FixedLists()
    {
        var records = SampleLists.FixedRecords();
        var before = SampleLists.Join(records.Take(20));
        // A cut at every byte of the 21st record and of its CRLF: no trailer, or a last record cut short.
        for (var cut = 0; cut < 302; cut++)
            yield return new Damaged($"cut-{cut:D3}.dat", SampleLists.Fixed[..(before.Length + cut)], null, Refused: true);
        var random = new Random(2026);
        for (var n = 0; n < SpoiledLists; n++)
        {
            var spoiled = records.ToList();
            var rows = Enumerable.Range(1, 40).OrderBy(_ => random.Next()).Take(random.Next(1, 6)).ToList();
            foreach (var r in rows)
            {
                var record = spoiled[r].ToArray();
                if (n % 2 == 0) record[6] = (byte)'A';                       // 受付年月日 (offset 3, 7 bytes) no date
                else record[99] = Controls[random.Next(Controls.Length)]; // 性別 a control character
                spoiled[r] = record;
            }
            yield return new Damaged($"rows-{n:D3}.dat", SampleLists.Join(spoiled), 40 - rows.Count);
        }
        foreach (var damaged in RandomlyDamaged(SampleLists.Fixed, "dat", random)) yield return damaged;
        yield return new Damaged("pipe.dat", [], null, Refused: true, Fifo: true);
    }

    /// <summary>Control characters that neither end a line nor are trimmed as blanks.</summary>
    private static readonly byte[] Controls = [.. Enumerable.Range(0, 0x20).Where(c => c is not (0x09 or 0x0A or 0x0D)).Select(c => (byte)c), 0x7F];

    private static IEnumerable<Damaged> RandomlyDamaged(byte[] original, string extension, Random random)
    {
        for (var n = 0; n < RandomMutations; n++) yield return new Damaged($"random-{n:D3}.{extension}", Mutate(original, random), null);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 2; m++)
        {
            switch (random.Next(8))
            {
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
                case 6: // a digit of a data row made a letter
                    var digit = Enumerable.Range(0, 40).Select(_ => random.Next(302, Math.Max(303, bytes.Count - 302))).FirstOrDefault(i => i < bytes.Count && bytes[i] is >= (byte)'0' and <= (byte)'9', -1);
                    if (digit >= 0) bytes[digit] = (byte)'A';
                    break;
                default: // garbage appended
                    bytes.AddRange(Enumerable.Range(0, random.Next(1, 200)).Select(_ => (byte)random.Next(256)));
                    break;
            }
        }
        return [.. bytes];
    }
}
