using System.Diagnostics;

namespace NenkinBatch.Tests.Support;

/// <summary>LibreOffice's converter, run with a throwaway profile and a time limit.</summary>
internal static class Soffice
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    private static string Path()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, OperatingSystem.IsWindows() ? "soffice.exe" : "soffice")).FirstOrDefault(File.Exists);
        if (found is null)
        {
            Assert.Fail("soffice (LibreOffice) is not on PATH. These tests need it: install it with "
                + "'apt-get install -y --no-install-recommends libreoffice-calc-nogui' (Debian); tests/run.sh and .ci/run do so when run as root.");
        }
        return found!;
    }

    public static async Task ConvertAsync(string file, string format, string outputFolder)
    {
        var profile = Directory.CreateTempSubdirectory("nenkin-lo-profile-").FullName;
        try
        {
            var start = new ProcessStartInfo(Path()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { $"-env:UserInstallation={new Uri(profile).AbsoluteUri}", "--headless", "--norestore", "--nolockcheck", "--convert-to", format, "--outdir", outputFolder, file })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"soffice --convert-to {format} did not finish within {Limit.TotalMinutes} minutes.");
            }
            var said = $"{await output}\n{await error}";
            process.ExitCode.ShouldBe(0, said);
            Directory.GetFiles(outputFolder).ShouldNotBeEmpty($"soffice --convert-to {format} wrote nothing: {said}");
        }
        finally
        {
            Directory.Delete(profile, true);
        }
    }
}
