using System.Diagnostics;
using System.Globalization;
using NenkinBatch.Jobs.LoadMembers;
using NenkinBatch.Persistence;
using NenkinBatch.Runtime;

// One measurement per process, so peak memory is the job's own (tests/bench/run.sh drives it):
//   load-members FILE DB LABEL   loads FILE into DB (SQLite path or PostgreSQL connection string), prints figures
//   micro [BenchmarkDotNet args] the hot functions, measured by BenchmarkDotNet
switch (args.FirstOrDefault())
{
    case "load-members" when args.Length == 4:
        return await LoadMembersAsync(args[1], args[2], args[3]);
    case "micro":
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(NenkinBatch.Benchmarks.HotFunctions).Assembly).Run(args[1..]);
        return 0;
    default:
        Console.Error.WriteLine("usage: load-members FILE DB LABEL | micro [--filter *]");
        return 64;
}

static async Task<int> LoadMembersAsync(string file, string db, string label)
{
    var scratch = Directory.CreateTempSubdirectory("nenkin-bench-").FullName;
    var settings = new Settings
    {
        Database = db,
        Municipality = NenkinBatch.Domain.MunicipalityCode.Parse("121002").Value,
        LogDirectory = Path.Combine(scratch, "logs"),
        KeyFile = Path.Combine(scratch, "number.key"),
    };
    await new Migrator(Store.Create(DatabaseTarget.Parse(db, false)), TimeProvider.System).MigrateAsync(default);
    var rows = File.ReadLines(file).LongCount() - 1;
    var stopwatch = Stopwatch.StartNew();
    var code = await JobRunner.RunAsync(new LoadMembersJob(file), new JobInvocation(settings, Quiet: true) { Interactive = false }, default);
    stopwatch.Stop();
    using var self = Process.GetCurrentProcess();
    self.Refresh();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"load-members {label,-10} rows={rows,9:N0}  time={stopwatch.Elapsed.TotalSeconds,7:F2} s  rate={rows / stopwatch.Elapsed.TotalSeconds,9:N0} rows/s  peak={self.PeakWorkingSet64 / 1048576.0,6:F0} MB  exit={code}"));
    Directory.Delete(scratch, true);
    return code;
}
