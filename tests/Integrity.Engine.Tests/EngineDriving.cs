using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Domain.Events;
using Integrity.Grains.Consumers;
using Integrity.Grains.Routing;
using Integrity.Storage.AzureTables.Journal;

namespace Integrity.Engine.Tests;

/// <summary>What every engine under test does the same way, one silo or three: feed the journal as ingest does, and wait for it to be stored.</summary>
internal static class EngineDriving
{
    /// <summary>Appends the events to the journal, in order, in batches as ingest would.</summary>
    public static async Task IngestAsync(IGrainFactory grains, IEventJournal journal, IReadOnlyList<IntegrityEvent> events, int batchSize)
    {
        foreach (var batch in events.Chunk(batchSize))
        {
            // As ingest does: brands are registered before the batch is acknowledged, so a listing journaled in another
            // partition than its brand is never checked against a directory that does not know the brand yet.
            var brands = WorkPlan.Brands(batch);
            if (brands.Count > 0)
            {
                await grains.GetGrain<IBrandDirectoryGrain>(PartitionConsumerGrain.BrandDirectoryKey).RegisterAsync(brands);
            }

            await journal.AppendAsync(batch, CancellationToken.None);
        }
    }

    /// <summary>Waits until every partition's durable checkpoint has reached its journal head (states and decisions stored).</summary>
    public static async Task WaitUntilSettledAsync(IEventJournal journal, IJournalCheckpointStore checkpoints, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var behind = new List<string>();
            for (var p = 0; p < journal.PartitionCount; p++)
            {
                var head = await journal.HeadAsync(p);
                var checkpoint = await checkpoints.ReadAsync(p);
                if (checkpoint < head)
                {
                    behind.Add($"p{p}: head {head}, checkpoint {checkpoint}");
                }
            }

            if (behind.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The engine did not settle: " + string.Join("; ", behind));
            }

            await Task.Delay(100);
        }
    }
}
