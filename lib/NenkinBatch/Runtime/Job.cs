using NenkinBatch.Formats;

namespace NenkinBatch.Runtime;

/// <summary>How a job ended, as far as the job itself can tell.</summary>
public sealed record JobOutcome(bool HadRowErrors, string? Message = null, bool InputRejected = false);

/// <summary>A batch job: a name, identifying parameters, and the work.</summary>
public abstract class Job
{
    public abstract string Name { get; }

    /// <summary>
    /// Looks at the inputs before the run is registered: returns the identifying parameters (what a rerun must match
    /// to resume) and a display form. Throws <see cref="InputRejectedException"/> when an input cannot be taken at all.
    /// </summary>
    public abstract Task<(string Parameters, string Key)> IdentifyAsync(Settings settings, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a rerun continues a failed run from its checkpoint (chunked jobs), or starts afresh
    /// because the job knows by itself what is already done (import skips files already in).
    /// </summary>
    public virtual bool ResumesFromCheckpoint => true;

    /// <summary>The names of the counts this job reports, in order.</summary>
    public abstract string[] CountNames { get; }

    public abstract Task<JobOutcome> ExecuteAsync(JobContext context, CancellationToken cancellationToken);
}
