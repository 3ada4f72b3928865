using NenkinBatch.Persistence;
using Polly;

namespace NenkinBatch.Runtime;

/// <summary>
/// The one place a database failure is classified: work runs under the retry pipeline, and a transient failure
/// still there after the last retry becomes <see cref="DatabaseUnavailableException"/> (exit 69, resumable).
/// </summary>
public static class DatabaseWork
{
    public static async Task<T> RunAsync<T>(ResiliencePipeline pipeline, Func<CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.ExecuteAsync(work, cancellationToken);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new DatabaseUnavailableException(e);
        }
    }

    public static Task RunAsync(ResiliencePipeline pipeline, Func<CancellationToken, ValueTask> work, CancellationToken cancellationToken) =>
        RunAsync(pipeline, async ct => { await work(ct); return true; }, cancellationToken);

    /// <summary>A failure that says the database could not be reached or kept (not a wrong statement, not a refused row).</summary>
    public static bool IsUnavailable(Exception exception) => TransientFailure.Is(exception);
}
