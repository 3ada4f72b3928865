using System.Data.Common;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Npgsql;
using NpgsqlTypes;
using NenkinBatch.Domain.Codes;
using NenkinBatch.Formats;
using NenkinBatch.Formats.Jps;
using NenkinBatch.Formats.Layouts;
using NenkinBatch.Persistence;
using NenkinBatch.Persistence.Jps;
using NenkinBatch.Persistence.Postgres;
using NenkinBatch.Synthetic;

namespace NenkinBatch.Benchmarks;

/// <summary>
/// The COPY of one JPS list into jps_result, two ways, on the same 100,000 rows of a generated city (read by the
/// import's own reader, 個人番号 digested as the import does): the store's own binary encoder (PgBinaryRows over a raw
/// COPY stream) against Npgsql's NpgsqlBinaryImporter with synchronous typed writes (and the same with a 64 KB write
/// buffer). All go through the import's IJpsRowSink, in one transaction, into a table truncated before every iteration.
/// Needs NENKIN_TEST_PG (tests/bench/copy.sh).
/// </summary>
[Config(typeof(Config))]
public class CopyPathBenchmarks
{
    public const int Rows = 100_000;
    private const long FileId = 1;
    private const string Municipality = "121002";

    private sealed class Config : ManualConfig
    {
        // In process: nothing is rebuilt for the run, and both ways share one process, one server, one table.
        public Config()
        {
            AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(20).WithToolchain(InProcessEmitToolchain.Instance));
            AddDiagnoser(MemoryDiagnoser.Default);
        }
    }

    private static readonly Lazy<List<(JpsResultRow Row, string? Warnings, byte[]? Digest)>> Data = new(Load);
    private static bool _checked;

    private readonly JpsResultStore _own = new PostgresJpsResultStore();
    private readonly JpsResultStore _importer = new ImporterJpsResultStore();
    private NpgsqlConnection _connection = null!;
    private NpgsqlConnection _bigBuffer = null!;
    private List<(JpsResultRow Row, string? Warnings, byte[]? Digest)> _rows = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var connectionString = (Environment.GetEnvironmentVariable("NENKIN_TEST_PG")
            ?? throw new InvalidOperationException("NENKIN_TEST_PG is not set (run tests/bench/copy.sh)")) + ";Search Path=bench_copy";
        await new Migrator(Store.Create(DatabaseTarget.Parse(connectionString, false)), TimeProvider.System).MigrateAsync(default);
        _rows = Data.Value;
        _connection = new NpgsqlConnection(connectionString);
        await _connection.OpenAsync();
        // The importer flushes its connection's write buffer (8 KB by default) as it fills; the raw stream gets 64 KB at a time.
        _bigBuffer = new NpgsqlConnection(connectionString + ";Write Buffer Size=65536");
        await _bigBuffer.OpenAsync();
        if (_checked) return;
        // Both ways must store the very same table.
        Truncate();
        await CopyAsync(_own);
        var own = await FingerprintAsync();
        Truncate();
        await CopyAsync(_importer);
        var importer = await FingerprintAsync();
        Console.WriteLine($"// jps_result after each way: own {own}; importer {importer}");
        if (own != importer) throw new InvalidOperationException("the two ways stored different rows");
        _checked = true;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        _bigBuffer.Dispose();
    }

    [IterationSetup]
    public void Truncate()
    {
        using var command = new NpgsqlCommand("TRUNCATE jps_result", _connection);
        command.ExecuteNonQuery();
    }

    [Benchmark(Baseline = true, Description = "PgBinaryRows (raw COPY stream)")]
    public Task OwnEncoder() => CopyAsync(_own);

    [Benchmark(Description = "NpgsqlBinaryImporter (sync typed writes)")]
    public Task NpgsqlImporter() => CopyAsync(_importer);

    [Benchmark(Description = "NpgsqlBinaryImporter, 64 KB write buffer")]
    public Task NpgsqlImporterBigBuffer() => CopyAsync(_importer, _bigBuffer);

    /// <summary>
    /// The same three COPYs outside BenchmarkDotNet, interleaved (the order rotating each round), so that background load
    /// weighs on all of them alike: per way the median wall time, the median CPU time of this process (the client's
    /// share, which is where the ways differ), and the median of each round's ratio to the own encoder.
    /// </summary>
    public static async Task InterleavedAsync(int rounds)
    {
        var bench = new CopyPathBenchmarks();
        await bench.SetupAsync();
        (string Name, Func<Task> Copy)[] ways =
        [
            ("PgBinaryRows (raw COPY stream)", bench.OwnEncoder),
            ("NpgsqlBinaryImporter (sync typed writes)", bench.NpgsqlImporter),
            ("NpgsqlBinaryImporter, 64 KB write buffer", bench.NpgsqlImporterBigBuffer),
        ];
        var wall = ways.Select(_ => new List<double>()).ToArray();
        var cpu = ways.Select(_ => new List<double>()).ToArray();
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        for (var round = -2; round < rounds; round++)
        {
            for (var k = 0; k < ways.Length; k++)
            {
                var w = (k + Math.Max(round, 0)) % ways.Length;
                bench.Truncate();
                self.Refresh();
                var cpuBefore = self.TotalProcessorTime;
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                await ways[w].Copy();
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                self.Refresh();
                if (round < 0) continue; // two warm-up rounds
                wall[w].Add(elapsed.TotalMilliseconds);
                cpu[w].Add((self.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            }
        }
        bench.Cleanup();
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
        Console.WriteLine($"interleaved, {rounds} rounds of {Rows:N0} rows each way (medians; ratio = median of the rounds' ratios to the own encoder)");
        for (var w = 0; w < ways.Length; w++)
        {
            var sorted = wall[w].Order().ToArray();
            Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"  {ways[w].Name,-42} wall {Median(wall[w]),6:F1} ms (IQR {sorted[sorted.Length / 4],6:F1}–{sorted[sorted.Length * 3 / 4],6:F1})  ratio {Median(wall[w].Zip(wall[0], (a, b) => a / b)):F3}   client CPU {Median(cpu[w]),6:F1} ms  ratio {Median(cpu[w].Zip(cpu[0], (a, b) => a / b)):F3}"));
        }
    }

    // What FileImport does with the sink, less the reading: one transaction, every row added, the stream completed.
    private async Task CopyAsync(JpsResultStore store, NpgsqlConnection? connection = null)
    {
        connection ??= _connection;
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var sink = await store.OpenRowSinkAsync(connection, transaction, FileId, CancellationToken.None))
        {
            foreach (var (row, warnings, digest) in _rows) await sink.AddAsync(row, warnings, digest, CancellationToken.None);
            await sink.CompleteAsync(CancellationToken.None);
        }
        await transaction.CommitAsync();
    }

    private async Task<string> FingerprintAsync()
    {
        await using var command = new NpgsqlCommand("""
            SELECT count(*) || ' rows, md5 ' || md5(string_agg(t::text, E'\n' ORDER BY line_number))
                || ', null kanji ' || count(*) FILTER (WHERE kanji_name IS NULL)
                || ', null digest ' || count(*) FILTER (WHERE number_digest IS NULL)
                || ', null lost_on ' || count(*) FILTER (WHERE lost_on IS NULL)
                || ', warnings ' || count(warnings)
            FROM jps_result t
            """, _connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A generated city's JPS list, read by the import's reader; the first <see cref="Rows"/> rows it accepts.</summary>
    private static List<(JpsResultRow, string?, byte[]?)> Load()
    {
        var directory = Directory.CreateTempSubdirectory("nenkin-copy-").FullName;
        try
        {
            new CityGenerator(new CityOptions { People = 150_000, JpsRows = Rows + Rows / 20, Seed = 1, MunicipalityCode = Municipality }).Generate(directory);
            var input = InputFile.InspectAsync(Path.Combine(directory, CityFiles.JpsCsvFile), "auto", default).GetAwaiter().GetResult();
            var reader = new JpsResultReader(Layout.Resolve("jps-result-csv"), CodeTables.BuiltIn);
            var protector = new IndividualNumberProtector(new byte[32]);
            var rows = new List<(JpsResultRow, string?, byte[]?)>(Rows);
            var enumerator = reader.ReadAsync(input, 0, default).GetAsyncEnumerator();
            while (rows.Count < Rows && enumerator.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                if (enumerator.Current is not { Row: { } row } read || row.MunicipalityCode != Municipality) continue;
                var warnings = read.Problems.Count == 0 ? null : string.Join("; ", read.Problems.Select(p => $"{p.Field}: {p.Reason}"));
                var digest = row.IndividualNumber is { } number ? protector.Digest(Municipality, number) : null;
                rows.Add((row, warnings, digest));
            }
            enumerator.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (rows.Count < Rows) throw new InvalidOperationException($"only {rows.Count} rows generated");
            return rows;
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}

/// <summary>
/// The candidate: PostgresJpsResultStore with Npgsql's own binary importer instead of PgBinaryRows; the same columns,
/// the same PostgreSQL types, synchronous typed writes (each row is already in memory; the importer flushes its buffer).
/// </summary>
public sealed class ImporterJpsResultStore : JpsResultStore
{
    public override async Task<IJpsRowSink> OpenRowSinkAsync(DbConnection connection, DbTransaction transaction, long fileId, CancellationToken cancellationToken) =>
        new Sink(await ((NpgsqlConnection)connection).BeginBinaryImportAsync($"COPY jps_result ({RowColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken), fileId);

    private sealed class Sink(NpgsqlBinaryImporter importer, long fileId) : IJpsRowSink
    {
        public ValueTask AddAsync(JpsResultRow row, string? warnings, byte[]? numberDigest, CancellationToken cancellationToken)
        {
            importer.StartRow();
            importer.Write(row.MunicipalityCode, NpgsqlDbType.Char);
            importer.Write(fileId, NpgsqlDbType.Bigint);
            importer.Write(row.Line, NpgsqlDbType.Bigint);
            importer.Write(row.FilingCode, NpgsqlDbType.Char);
            importer.Write(row.ReceivedOn, NpgsqlDbType.Date);
            importer.Write(row.ProcessedOn, NpgsqlDbType.Date);
            Write(row.BasicPensionNumber, NpgsqlDbType.Char);
            importer.Write(row.KanaName, NpgsqlDbType.Text);
            Write(row.KanjiName, NpgsqlDbType.Text);
            importer.Write(row.BirthDate, NpgsqlDbType.Date);
            importer.Write((short)row.Sex, NpgsqlDbType.Smallint);
            Write(row.PostalCode, NpgsqlDbType.Text);
            Write(row.Address, NpgsqlDbType.Text);
            Write((short?)row.InsuredCategory, NpgsqlDbType.Smallint);
            Write(row.AcquiredOn, NpgsqlDbType.Date);
            Write(row.AcquisitionReason, NpgsqlDbType.Char);
            Write(row.LostOn, NpgsqlDbType.Date);
            Write(row.LossReason, NpgsqlDbType.Char);
            importer.Write((short)row.Result, NpgsqlDbType.Smallint);
            Write(row.ErrorCode, NpgsqlDbType.Text);
            Write(row.ErrorText, NpgsqlDbType.Text);
            Write(numberDigest, NpgsqlDbType.Bytea);
            Write(warnings, NpgsqlDbType.Text);
            return ValueTask.CompletedTask;
        }

        private void Write<T>(T? value, NpgsqlDbType type) where T : class
        {
            if (value is null) importer.WriteNull(); else importer.Write(value, type);
        }

        private void Write<T>(T? value, NpgsqlDbType type) where T : struct
        {
            if (value is { } v) importer.Write(v, type); else importer.WriteNull();
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken)
        {
            importer.Complete();
            return ValueTask.CompletedTask;
        }

        // Disposed without Complete (a failure while reading), the importer cancels the COPY: nothing half-written is committed.
        public ValueTask DisposeAsync() => importer.DisposeAsync();
    }
}
