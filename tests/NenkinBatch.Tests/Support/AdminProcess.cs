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
    public static string JukiSyncDll => Executable("NenkinBatch.JukiSync", "nenkin-juki-sync");
    public static string PurgeDll => Executable("NenkinBatch.Purge", "nenkin-purge");

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

    public static Process StartDll(string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartThrough([], dll, workingDirectory, environment, args);

    /// <summary>
    /// Runs the executable through a launcher, as a scheduler or a shell might start it: <see cref="WithUmask"/> a
    /// shell's umask, <see cref="Unprivileged"/> an account other than root.
    /// </summary>
    public static async Task<Result> RunThroughAsync(IReadOnlyList<string> launcher, string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = StartThrough(launcher, dll, workingDirectory, environment, args);
        return await WaitAsync(process);
    }

    /// <summary>A shell that sets the umask, then becomes the executable.</summary>
    public static IReadOnlyList<string> WithUmask(string umask) => ["sh", "-c", $"umask {umask}; exec \"$0\" \"$@\""];

    /// <summary>
    /// Permissions bind only an account other than root: as root, the executable runs as nobody (setpriv, util-linux);
    /// otherwise as the test's own account.
    /// </summary>
    public static IReadOnlyList<string> Unprivileged =>
        Environment.IsPrivilegedProcess ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] : [];

    private static Process StartThrough(IReadOnlyList<string> launcher, string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var info = new ProcessStartInfo(launcher.Count > 0 ? launcher[0] : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var part in launcher.Skip(1)) info.ArgumentList.Add(part);
        if (launcher.Count > 0) info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        return Process.Start(info)!;
    }

    public static async Task<Result> RunDllAsync(string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = StartDll(dll, workingDirectory, environment, args);
        return await WaitAsync(process);
    }

    private static async Task<Result> WaitAsync(Process process)
    {
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
