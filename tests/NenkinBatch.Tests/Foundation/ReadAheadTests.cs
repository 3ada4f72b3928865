using System.Runtime.CompilerServices;
using NenkinBatch.Foundation;
using NenkinBatch.Runtime;

namespace NenkinBatch.Tests.Foundation;

public class ReadAheadTests
{
    private static async IAsyncEnumerable<int> Numbers(int count, Exception? failAtEnd = null, StrongBox<bool>? finished = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        try
        {
            for (var i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await Task.Yield();
                yield return i;
            }
            if (failAtEnd is not null) throw failAtEnd;
        }
        finally
        {
            if (finished is not null) finished.Value = true;
        }
    }

    [Fact]
    public async Task Batches_DeliverEveryItemInOrder_InBatchesOfTheSize()
    {
        var batches = new List<List<int>>();
        await foreach (var batch in ReadAhead.Batches(ct => Numbers(10, cancellationToken: ct), 4, 2, CancellationToken.None)) batches.Add(batch);
        batches.Select(b => b.Count).ShouldBe([4, 4, 2]);
        batches.SelectMany(b => b).ShouldBe(Enumerable.Range(0, 10));
    }

    [Fact]
    public async Task AFailingProducer_SurfacesInTheConsumer_AsItsOwnException_AfterTheRowsBeforeIt()
    {
        var seen = new List<int>();
        var thrown = await Should.ThrowAsync<InvalidDataException>(async () =>
        {
            await foreach (var batch in ReadAhead.Batches(ct => Numbers(6, new InvalidDataException("row 7 unreadable"), cancellationToken: ct), 4, 2, CancellationToken.None))
                seen.AddRange(batch);
        });
        thrown.Message.ShouldBe("row 7 unreadable");
        seen.ShouldBe([0, 1, 2, 3]);
    }

    [Fact]
    public async Task AConsumerStoppingEarly_StopsTheProducer_BeforeTheLoopIsLeft()
    {
        var finished = new StrongBox<bool>();
        await foreach (var batch in ReadAhead.Batches(ct => Numbers(int.MaxValue, finished: finished, cancellationToken: ct), 16, 2, CancellationToken.None))
        {
            batch.Count.ShouldBe(16);
            break;
        }
        finished.Value.ShouldBeTrue();
    }
}
