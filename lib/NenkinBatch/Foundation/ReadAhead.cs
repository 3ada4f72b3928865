using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace NenkinBatch.Foundation;

/// <summary>
/// Runs a sequence's producer (a database cursor and the decoding of its rows) on a task of its own, a few batches
/// ahead of the consumer, so that reading and the work on what was read use both cores. A failure of the producer
/// surfaces in the consumer as itself; a consumer that stops early, or fails, stops the producer.
/// </summary>
public static class ReadAhead
{
    /// <summary>The same for a plain sequence (a file read synchronously).</summary>
    public static IAsyncEnumerable<List<T>> Batches<T>(Func<CancellationToken, IEnumerable<T>> source, int batchSize, int depth, CancellationToken cancellationToken) =>
        Batches(ct => Async(source(ct)), batchSize, depth, cancellationToken);

    private static async IAsyncEnumerable<T> Async<T>(IEnumerable<T> items)
    {
        foreach (var item in items) yield return item;
        await Task.CompletedTask;
    }

    public static async IAsyncEnumerable<List<T>> Batches<T>(Func<CancellationToken, IAsyncEnumerable<T>> source, int batchSize, int depth,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<List<T>>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                var batch = new List<T>(batchSize);
                await foreach (var item in source(stop.Token).WithCancellation(stop.Token))
                {
                    batch.Add(item);
                    if (batch.Count < batchSize) continue;
                    await channel.Writer.WriteAsync(batch, stop.Token);
                    batch = new List<T>(batchSize);
                }
                if (batch.Count > 0) await channel.Writer.WriteAsync(batch, stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken)) yield return batch;
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
    }
}
