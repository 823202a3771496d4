using Integrity.Contracts;
using Integrity.Domain.Rules;
using Integrity.Domain.State;
using Integrity.Grains.Decisions;
using Integrity.Grains.Policy;
using Microsoft.Extensions.Logging;

namespace Integrity.Grains.Entities;

/// <summary>
/// What every entity grain shares: work applied in memory through the domain and written behind (the journal
/// consumer calls <see cref="FlushAsync"/> before it moves its checkpoint, which bounds staleness), decisions
/// handed to the audit sink, and a last write when the activation ends. Subclasses only choose domain calls.
/// </summary>
public abstract partial class EntityGrain<TState>(
    IPersistentState<TState> persisted,
    IDecisionSink decisions,
    IPolicyProvider policy,
    TimeProvider time,
    ILogger logger) : Grain, IEntityGrain
    where TState : class, IEntityState<TState>, new()
{
    private bool _dirty;

    protected TState State => persisted.State;

    protected Domain.Policy.PolicyOptions Policy => policy.Current;

    protected string Id => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!persisted.RecordExists)
        {
            persisted.State = Create(Id);
        }

        return Task.CompletedTask;
    }

    public async Task<WorkResult> ApplyAsync(EntityWork work)
    {
        var batch = new WorkBatch();
        var before = (State.Enforcement.Level, State.Enforcement.Score);
        foreach (var item in work.Items)
        {
            if (item.Event is { } e && Validate(e) is { } problem)
            {
                batch.Rejected.Add(new RejectedEvent(e.EventId, problem.Code, problem.Reason));
                continue;
            }

            var result = await ApplyItemAsync(item, batch);
            Accept(result, item, batch);
        }

        await AfterWorkAsync(before.Level, before.Score, batch);
        return new WorkResult(batch.Applied, batch.Duplicates, batch.Rejected, batch.Notices);
    }

    public async Task FlushAsync()
    {
        if (!_dirty)
        {
            return;
        }

        await persisted.WriteStateAsync();
        _dirty = false;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!_dirty)
        {
            return;
        }

        try
        {
            await persisted.WriteStateAsync(cancellationToken);
            _dirty = false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The journal checkpoint has not moved past these events (the consumer flushes before it does), so
            // a replay restores them; log loudly all the same.
            LogLastWriteFailed(logger, GetType().Name, Id, e.Message);
        }
    }

    /// <summary>Changes that must be durable before the caller hears back (analyst actions).</summary>
    protected async Task CommitAsync(ApplyResult<TState> result)
    {
        if (result.Changed)
        {
            persisted.State = result.State;
            Publish(result);
            await persisted.WriteStateAsync();
            _dirty = false;
        }
    }

    protected abstract TState Create(string id);

    /// <summary>An event this entity cannot take (valid shape, impossible content), with a code and a reason.</summary>
    protected virtual (string Code, string Reason)? Validate(Domain.Events.IntegrityEvent e) => null;

    protected abstract ValueTask<ApplyResult<TState>> ApplyItemAsync(WorkItem item, WorkBatch batch);

    /// <summary>Notices for other entities once the whole batch is applied (e.g. a level change).</summary>
    protected virtual Task AfterWorkAsync(int levelBefore, double scoreBefore, WorkBatch batch) => Task.CompletedTask;

    private void Accept(ApplyResult<TState> result, WorkItem item, WorkBatch batch)
    {
        switch (result.Status)
        {
            case ApplyStatus.Applied:
                persisted.State = result.State;
                _dirty = true;
                if (item.Event is not null)
                {
                    batch.Applied++;
                }

                Publish(result);
                break;
            case ApplyStatus.Duplicate when item.Event is not null:
                batch.Duplicates++;
                break;
            case ApplyStatus.TooLate when item.Event is { } late:
                batch.Rejected.Add(new RejectedEvent(late.EventId, "TOO_LATE",
                    $"{late.TypeName} at {late.OccurredAt:O} is older than every event {TState.Kind} {Id} still remembers; it cannot be told from a redelivery, so it was not applied"));
                break;
        }
    }

    private void Publish(ApplyResult<TState> result)
    {
        if (result.Decision is { } decision)
        {
            decisions.Publish(AuditRecords.From(decision, time.GetUtcNow()));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Grain} {Id}: state write at deactivation failed; replay from the journal checkpoint will restore it: {Error}")]
    private static partial void LogLastWriteFailed(ILogger logger, string grain, string id, string error);
}

/// <summary>What one call to <see cref="EntityGrain{TState}.ApplyAsync"/> collects.</summary>
public sealed class WorkBatch
{
    public int Applied { get; set; }

    public int Duplicates { get; set; }

    public List<RejectedEvent> Rejected { get; } = [];

    public List<Notice> Notices { get; } = [];
}
