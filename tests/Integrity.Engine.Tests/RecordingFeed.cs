using System.Collections.Concurrent;
using Integrity.Contracts;

namespace Integrity.Engine.Tests;

/// <summary>A live feed in the test: records every audit record pushed to it, and completes <see cref="Arrived"/> with the first for the awaited entity.</summary>
public sealed class RecordingFeed(string awaitedEntity) : IDecisionObserver
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<AuditRecord> Received { get; } = new();

    public Task Arrived => _arrived.Task;

    public Task OnDecisionsAsync(IReadOnlyList<AuditRecord> records)
    {
        foreach (var record in records)
        {
            Received.Enqueue(record);
            if (record.EntityId == awaitedEntity)
            {
                _arrived.TrySetResult();
            }
        }

        return Task.CompletedTask;
    }
}
