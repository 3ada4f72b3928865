using NenkinBatch.Foundation;
using NenkinBatch.Runtime;

namespace NenkinBatch.Tests.Support;

/// <summary>Runs a job in-process through the same runner the executables use, capturing what the operator would see.</summary>
public static class InProcess
{
    public sealed record Run(int ExitCode, string Out, string Error, string? Summary);

    public static async Task<Run> RunAsync(Job job, Settings settings, bool dryRun = false, CancellationToken cancellationToken = default, TimeProvider? clock = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var summary = Path.Combine(settings.LogDirectory, "..", $"summary-{Guid.NewGuid():N}.json");
        var code = await JobRunner.RunAsync(job, new JobInvocation(settings, DryRun: dryRun, SummaryFile: summary)
        {
            Out = output,
            Error = error,
            Interactive = false,
            Clock = clock ?? TimeProvider.System,
        }, cancellationToken);
        var run = new Run(code, output.ToString(), error.ToString(), File.Exists(summary) ? await File.ReadAllTextAsync(summary, cancellationToken) : null);
        PrivacyGuard.LeakedIn(run.Out + run.Error + run.Summary).ShouldBeEmpty("a 個人番号 from the test data reached the console or the summary");
        return run;
    }
}
