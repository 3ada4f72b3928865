using System.Diagnostics;
using System.Text;
using NenkinBatch.Foundation;

namespace NenkinBatch.Tests.Support;

/// <summary>Runs the real nenkin-admin executable, as an operator or a scheduler would.</summary>
public static class AdminProcess
{
    public sealed record Result(int ExitCode, string Out, string Error)
    {
        public string All => Out + Error;
    }

    public static string RepositoryRoot { get; } = FindRoot();

    public static string AdminDll => Executable("NenkinBatch.Admin", "nenkin-admin");
    public static string ImportDll => Executable("NenkinBatch.Import", "nenkin-import");
    public static string ReconcileDll => Executable("NenkinBatch.Reconcile", "nenkin-reconcile");

    private static string Executable(string project, string assembly)
    {
        // The test assembly sits in tests/NenkinBatch.Tests/bin/<Configuration>/net10.0/.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        return Path.Combine(RepositoryRoot, "jobs", project, "bin", configuration, "net10.0", assembly + ".dll");
    }

    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartDll(AdminDll, workingDirectory, environment, args);

    public static Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunDllAsync(AdminDll, workingDirectory, environment, args);

    public static Process StartDll(string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return Process.Start(info)!;
    }

    public static async Task<Result> RunDllAsync(string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = StartDll(dll, workingDirectory, environment, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var result = new Result(process.ExitCode, await output, await error);
        PrivacyGuard.LeakedIn(result.All).ShouldBeEmpty("a 個人番号 from the test data reached the console");
        return result;
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NenkinBatch.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("NenkinBatch.sln not found above the test assembly");
    }
}
