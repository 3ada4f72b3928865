namespace NenkinBatch.Tests.Support;

/// <summary>
/// PowerShell 7 (pwsh), which runs the Windows chain script and build/publish.ps1 here as Windows would: from PATH, else
/// the copy tests/run.sh and .ci/run install into .tools/ (dotnet tool PowerShell). Missing, the tests that need it fail.
/// </summary>
public static class PowerShell
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(System.IO.Path.Combine(AdminProcess.RepositoryRoot, ".tools")))
        {
            var candidate = System.IO.Path.Combine(folder, OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("pwsh not found: run the tests with tests/run.sh, which installs PowerShell (dotnet tool install --tool-path .tools PowerShell).");
    }
}
