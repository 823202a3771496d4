using Integrity.Contracts;
using Integrity.Storage.AzureTables.Journal;
using Integrity.Storage.AzureTables.Streaming;

namespace Integrity.Host.Apis;

/// <summary>Operators' view of the pipeline: per journal partition, what is written, dispatched and durably checkpointed.</summary>
public static class AdminApi
{
    /// <summary>
    /// One partition: <c>Head</c> the last journal row written; <c>Checkpoint</c> the last row whose events are applied and
    /// whose grain states are stored; <c>Dispatched</c> the last row handed to the entity grains (in memory, this silo).
    /// </summary>
    public sealed record PartitionStatus(int Partition, long Head, long Checkpoint, long? Dispatched, long? EventsApplied, long? Duplicates, long? Rejected, string? Silo);

    public sealed record ProgressReport(bool Settled, IReadOnlyList<PartitionStatus> Partitions);

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/admin/progress", ProgressAsync)
            .RequireAuthorization(Security.ApiRoles.Analyst)
            .WithTags("Admin")
            .WithName("GetProgress")
            .WithSummary("Per journal partition, cluster-wide: head, durable checkpoint, and what its consumer (on the silo named) dispatched and applied since it started.");
        return app;
    }

    private static async Task<ProgressReport> ProgressAsync(TableEventJournal journal, JournalCheckpoints checkpoints, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var partitions = await Task.WhenAll(Enumerable.Range(0, journal.PartitionCount).Select(async p =>
        {
            var head = await journal.HeadAsync(p, cancellationToken);
            var checkpoint = await checkpoints.ReadAsync(p, cancellationToken);
            ConsumerProgress? consumer = null;
            if (head > 0)
            {
                // Activates the consumer if it is not running (it starts from the checkpoint, as after a restart).
                consumer = await grains.GetGrain<IPartitionConsumerGrain>(StreamNames.PartitionKey(p)).GetProgressAsync().WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            return new PartitionStatus(p, head, checkpoint, consumer?.Dispatched, consumer?.EventsApplied, consumer?.Duplicates, consumer?.Rejected, consumer?.Silo);
        }));
        return new ProgressReport(partitions.All(p => p.Checkpoint >= p.Head), partitions);
    }
}
