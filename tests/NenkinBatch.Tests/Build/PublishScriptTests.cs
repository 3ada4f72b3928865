using System.Diagnostics;
using NenkinBatch.Runtime;
using NenkinBatch.Tests.Support;

namespace NenkinBatch.Tests.Build;

/// <summary>
/// The publish scripts stay twins (the Windows build server's PowerShell and the shell script CI runs), and the settings
/// template they ship is one the executables read: comments and all, every setting a job knows.
/// </summary>
public class PublishScriptTests
{
    private static readonly string Root = AdminProcess.RepositoryRoot;

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task BothScripts_Parse()
    {
        (await RunAsync("bash", "-n", Path.Combine(Root, "build", "publish.sh"))).ExitCode.ShouldBe(0);
        var script = Path.Combine(Root, "build", "publish.ps1").Replace("'", "''", StringComparison.Ordinal);
        var (exitCode, output) = await RunAsync(PowerShell.Path, "-NoProfile", "-NonInteractive", "-Command",
            $"$e = $null; [System.Management.Automation.Language.Parser]::ParseFile('{script}', [ref]$null, [ref]$e) | Out-Null; $e | ForEach-Object {{ $_.ToString() }}; exit $e.Count");
        exitCode.ShouldBe(0, output);
    }

    [Fact]
    public void BothScripts_ShipTheSameFiles()
    {
        var shell = File.ReadAllText(Path.Combine(Root, "build", "publish.sh"));
        var powerShell = File.ReadAllText(Path.Combine(Root, "build", "publish.ps1"));
        foreach (var shipped in new[] { "build/package/nenkinbatch.sample.json", "build/package/README.txt", "samples/layouts/", "lib/NenkinBatch/Domain/Codes/codes.json", "samples/retention", "schedules", "docs/運用手順書.md", "VERSION.txt", "--artifacts-path" })
        {
            shell.ShouldContain(shipped);
            powerShell.ShouldContain(shipped);
        }
    }

    [Fact]
    public void SettingsTemplate_ReadByTheJobs_WithEverySetting()
    {
        var directory = TestDatabase.CreateDirectory();
        try
        {
            File.Copy(Path.Combine(Root, "build", "package", "nenkinbatch.sample.json"), Path.Combine(directory, Settings.FileName));

            var settings = Settings.Resolve(new Settings.CommandLine(null, null, null, null), _ => null, directory, "/nowhere");
            var origins = Settings.Origins(new Settings.CommandLine(null, null, null, null), _ => null, directory, "/nowhere");

            settings.Municipality.Value.ShouldBe("121002");
            settings.Database.ShouldBe("/var/lib/nenkinbatch/nenkin.db");
            settings.LogDirectory.ShouldBe("/var/log/nenkinbatch");
            origins.UnknownKeys.ShouldBeEmpty();
            // Every setting but the optional file replacements is written out, so an operator sees it and its default.
            origins.Settings.Where(s => s.Source == SettingSource.Default).Select(s => s.Key).ShouldBeSubsetOf(["codeTables", "retentionPolicy", "purge.planMaxAgeDays", "purge.capPercent", "purge.inboxDirs"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
