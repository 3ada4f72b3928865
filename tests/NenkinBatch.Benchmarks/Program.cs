using System.Diagnostics;
using System.Globalization;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Persistence;
using NenkinBatch.Runtime;

// One measurement per process, so peak memory is the job's own (tests/bench/run.sh drives it):
//   load-members FILE DB LABEL   loads FILE into DB (SQLite path or PostgreSQL connection string), prints figures
//   import FILE DB LABEL         imports a JPS list into DB, prints figures
//   reconcile DB LABEL REPORTDIR reconciles every imported list in DB (dry run, both reports written), prints figures
//   accuracy [--register] [--brief] TRUTH REPORT [TRUTH REPORT …]
//                                scores reconciliation reports against the generator's truth.csv, the pairs summed (--register:
//                                the 住基 history was synced, residents are on file; --brief: no per-case tables)
//   workbook REPORT OUTDIR       writes an earlier reconcile report's rows (its CSV) again, CSV and workbook, no database
//   micro [BenchmarkDotNet args] the hot functions, measured by BenchmarkDotNet
//   copy [BenchmarkDotNet args]  the COPY into jps_result, own encoder against NpgsqlBinaryImporter (needs NENKIN_TEST_PG)
//   copy-interleaved [ROUNDS]    the same COPYs taking turns, outside BenchmarkDotNet (medians and paired ratios)
switch (args.FirstOrDefault())
{
    case "load-members" when args.Length == 4:
        return await MeasureAsync("load-members", args[1], args[2], args[3], new LoadMembersJob(args[1]));
    case "import" when args.Length == 4:
        return await MeasureAsync("import", args[1], args[2], args[3], new NenkinBatch.Jobs.Import.ImportJob(new() { Files = [args[1]] }));
    case "juki-sync" when args.Length == 4:
        return await MeasureAsync("juki-sync", args[1], args[2], args[3], new NenkinBatch.Jobs.JukiSync.JukiSyncJob(new() { Files = [args[1]], Settle = TimeSpan.Zero }));
    case "reconcile" when args.Length == 4:
        return await MeasureAsync("reconcile", null, args[1], args[2], new NenkinBatch.Jobs.Reconcile.ReconcileJob(new() { ReportDirectory = args[3] }));
    case "accuracy" when args.Length >= 3:
    {
        var register = args.Contains("--register");
        var brief = args.Contains("--brief");
        var files = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (files.Count == 0 || files.Count % 2 != 0)
        {
            Console.Error.WriteLine("usage: accuracy [--register] [--brief] TRUTH REPORT [TRUTH REPORT …]");
            return 64;
        }
        var parts = new List<NenkinBatch.Synthetic.MatchAccuracy>();
        for (var i = 0; i < files.Count; i += 2)
            parts.Add(await NenkinBatch.Synthetic.MatchAccuracy.MeasureAsync(files[i], files[i + 1], NenkinBatch.Synthetic.CityFiles.JpsCsvFile, register));
        var accuracy = NenkinBatch.Synthetic.MatchAccuracy.Sum(parts);
        Console.WriteLine(accuracy);
        if (!brief) Console.WriteLine(accuracy.Details().TrimStart('\n'));
        foreach (var wrong in accuracy.WrongMatches.Take(brief ? 10 : 20)) Console.WriteLine("  wrong: " + wrong);
        return 0;
    }
    case "read-juki" when args.Length == 2:
    {
        // The 住基 file's reading alone, no database: inspection (SHA-256), the newest 処理日, and the checked rows.
        var sw = Stopwatch.StartNew();
        var input = await NenkinBatch.Formats.InputFile.InspectUtf8Async(args[1], default);
        var inspected = sw.Elapsed.TotalSeconds;
        var reader = new NenkinBatch.Formats.Juki.JukiChangeReader(NenkinBatch.Formats.Layouts.Layout.Resolve("juki-change-csv"), NenkinBatch.Domain.Codes.CodeTables.BuiltIn);
        reader.Survey(args[1], "121002", default);
        var newest = sw.Elapsed.TotalSeconds;
        long rows = 0;
        await foreach (var r in reader.ReadAsync(args[1], 0, default)) rows++;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read-juki rows={rows:N0} inspect={inspected:F2} s survey={newest - inspected:F2} s read={sw.Elapsed.TotalSeconds - newest:F2} s"));
        return 0;
    }
    case "read-jps" when args.Length == 2:
    {
        // Reading and checking alone, no database: how much of an import is the file itself.
        var sw = Stopwatch.StartNew();
        var input = await NenkinBatch.Formats.InputFile.InspectAsync(args[1], "auto", default);
        var inspected = sw.Elapsed.TotalSeconds;
        var reader = new NenkinBatch.Formats.Jps.JpsResultReader(NenkinBatch.Formats.Layouts.Layout.Resolve("jps-result-csv"), NenkinBatch.Domain.Codes.CodeTables.BuiltIn);
        long rows = 0;
        await foreach (var r in reader.ReadAsync(input, 0, default)) rows++;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"read-jps rows={rows:N0} inspect={inspected:F2} s total={sw.Elapsed.TotalSeconds:F2} s"));
        var protector = new NenkinBatch.Persistence.IndividualNumberProtector(new byte[32]);
        var number = NenkinBatch.Domain.IndividualNumber.Parse("123456789018").Value!;
        sw.Restart();
        for (var i = 0; i < 500_000; i++) protector.Digest("121002", number);
        var digestTime = sw.Elapsed.TotalSeconds;
        sw.Restart();
        for (var i = 0; i < 500_000; i++) protector.Seal("121002", "jps/1/1", number);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"digest x500k={digestTime:F2} s, seal x500k={sw.Elapsed.TotalSeconds:F2} s"));
        return 0;
    }
    case "workbook" when args.Length == 3:
        return await NenkinBatch.Benchmarks.WorkbookBenchmark.RunAsync(args[1], args[2]);
    case "micro":
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromTypes([typeof(NenkinBatch.Benchmarks.HotFunctions)]).Run(args[1..]);
        return 0;
    case "copy":
        BenchmarkDotNet.Running.BenchmarkRunner.Run<NenkinBatch.Benchmarks.CopyPathBenchmarks>(args: args[1..]);
        return 0;
    case "copy-interleaved":
        await NenkinBatch.Benchmarks.CopyPathBenchmarks.InterleavedAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30);
        return 0;
    default:
        Console.Error.WriteLine("usage: load-members FILE DB LABEL | import FILE DB LABEL | juki-sync FILE DB LABEL | micro [--filter *] | copy | copy-interleaved [ROUNDS]");
        return 64;
}

static async Task<int> MeasureAsync(string name, string? file, string db, string label, Job job)
{
    var scratch = Directory.CreateTempSubdirectory("nenkin-bench-").FullName;
    var settings = new Settings
    {
        Database = db,
        Municipality = NenkinBatch.Domain.MunicipalityCode.Parse("121002").Value,
        LogDirectory = Path.Combine(scratch, "logs"),
        // One key for every job of a measured run: 個人番号 digests of the city's file and of JPS's list must be comparable.
        KeyFile = Path.Combine(Environment.GetEnvironmentVariable("NENKIN_BENCH_DIR") ?? scratch, "number.key"),
    };
    await new Migrator(Store.Create(DatabaseTarget.Parse(db, false)), TimeProvider.System).MigrateAsync(default);
    var rows = file is null ? 0 : File.ReadLines(file).LongCount() - 1;
    var stopwatch = Stopwatch.StartNew();
    var summary = Path.Combine(scratch, "summary.json");
    var code = await JobRunner.RunAsync(job, new JobInvocation(settings, Verbose: Environment.GetEnvironmentVariable("NENKIN_BENCH_LOG") == "1", Quiet: true, SummaryFile: summary) { Interactive = false }, default);
    if (file is null && File.Exists(summary))
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(summary));
        rows = document.RootElement.GetProperty("counts").TryGetProperty("rows", out var counted) ? counted.GetInt64() : 0;
    }
    stopwatch.Stop();
    using var self = Process.GetCurrentProcess();
    self.Refresh();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-12} {label,-9} rows={rows,9:N0}  time={stopwatch.Elapsed.TotalSeconds,7:F2} s  rate={rows / stopwatch.Elapsed.TotalSeconds,9:N0} rows/s  peak={self.PeakWorkingSet64 / 1048576.0,6:F0} MB  gc={GC.GetTotalPauseDuration().TotalSeconds,5:F1} s ({GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)})  cpu={self.TotalProcessorTime.TotalSeconds,6:F1} s  exit={code}"));
    // NENKIN_BENCH_LOG=1: the job's own log too (its phase times), for finding where a run spends its time.
    if (Environment.GetEnvironmentVariable("NENKIN_BENCH_LOG") == "1")
    {
        foreach (var log in Directory.EnumerateFiles(Path.Combine(scratch, "logs"), "*.log")) Console.WriteLine(File.ReadAllText(log));
    }
    Directory.Delete(scratch, true);
    return code;
}
