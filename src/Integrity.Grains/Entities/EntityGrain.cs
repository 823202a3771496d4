using Integrity.Contracts;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Propagation;
using Integrity.Domain.Rules;
using Integrity.Domain.Serialization;
using Integrity.Domain.State;
using Integrity.Grains.Checkpoints;
using Integrity.Grains.Decisions;
using Integrity.Grains.Policy;
using Integrity.Grains.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integrity.Grains.Entities;

/// <summary>
/// What every entity grain shares: work applied in memory through the domain and written behind (the journal
/// consumer calls <see cref="FlushAsync"/> before it moves its checkpoint, which bounds staleness), decisions
/// handed to the audit sink, a last write when the activation ends, and the end of an analyst's override when its
/// <c>until</c> comes (a reminder, so also after the grain left memory). Subclasses only choose domain calls.
/// </summary>
public abstract partial class EntityGrain<TState>(
    IPersistentState<EntityRecord<TState>> persisted,
    IDecisionSink decisions,
    IPolicyProvider policy,
    TimeProvider time,
    ILogger logger) : Grain, IEntityGrain, IRemindable
    where TState : class, IEntityState<TState>, new()
{
    private bool _dirty;

    /// <summary>This activation's state is never written again: its ETag is stale, or an apply failed midway. It is leaving memory.</summary>
    private bool _stale;
    private Task? _writing;
    private EntityCoverage _coverage = new();
    private JournalCoverage _stored = JournalCoverage.None;

    protected TState State => persisted.State.State;

    /// <summary>The policy in force, as it applies to the evidence this deployment sends.</summary>
    protected Domain.Policy.PolicyOptions Policy => Evidence.Gate(policy.Current);

    private EvidenceCoverageTracker? _evidence;

    /// <summary>Resolved on first use (constructors stay as they are).</summary>
    private EvidenceCoverageTracker Evidence => _evidence ??= ServiceProvider.GetRequiredService<EvidenceCoverageTracker>();

    protected string Id => this.GetPrimaryKeyString();

    /// <summary>The reminder that ends an override with an expiry; one per grain, re-registered when the override changes.</summary>
    internal const string OverrideExpiryReminder = "override-expiry";

    private IGrainTimer? _overrideExpiry;

    /// <summary>Resolved when this activation first records a candidate's decision (constructors stay as they are).</summary>
    private ShadowDecisionSink? _shadowSink;

    /// <summary>The sink's sequence number of this activation's last shadow decision: written before any state that follows it.</summary>
    private long _shadowPublished;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!persisted.RecordExists)
        {
            persisted.State = new EntityRecord<TState> { State = Create(Id) };
        }

        _coverage = new EntityCoverage(persisted.State.JournalRows);
        _stored = new JournalCoverage(_coverage.Snapshot());

        ScheduleOverrideExpiry();
        return Task.CompletedTask;
    }

    public Task<EntityView> GetViewAsync() => Task.FromResult(View());

    public async Task<EntityView> ActAsync(AnalystCommand command)
    {
        var action = new AnalystAction(command.ActionId, command.Analyst, command.At, command.Note);
        if (command.Verb == AnalystVerb.Note)
        {
            // The note's id is kept in state (written before the answer), so the same actionId again is a no-op.
            var noted = AnalystActions.Note(State, action, Policy);
            if (!noted.Changed)
            {
                return View();
            }

            decisions.Publish(new AuditRecord(KindName, Id, $"note/{command.ActionId}", "note", command.At, time.GetUtcNow(),
                Ladders.StepName(TState.Kind, State.Enforcement.Level), State.Enforcement.Score, Policy.Version, command.Analyst,
                DomainJson.Serialize(new { note = command.Note })));
            await CommitAsync(noted);
        }
        else
        {
            ApplyResult<TState> result;
            try
            {
                result = command.Verb switch
                {
                    AnalystVerb.Confirm => AnalystActions.Confirm(State, action, Policy),
                    AnalystVerb.Reverse => AnalystActions.Reverse(State, action, Policy),
                    AnalystVerb.Reinstate => AnalystActions.Reinstate(State, action, Policy),
                    AnalystVerb.Override => AnalystActions.Override(State, command.Level ?? throw new ArgumentException("An override needs a level."), command.Until, action, Policy),
                    AnalystVerb.AppealUpheld or AnalystVerb.AppealReversed or AnalystVerb.AppealPartly => AnalystActions.DecideAppeal(
                        State, command.AppealId ?? throw new ArgumentException("An appeal outcome names its appeal."), AppealOutcomeOf(command.Verb), command.Level, action, Policy),
                    _ => throw new ArgumentException($"Unknown analyst action {command.Verb}."),
                };
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                throw new AnalystCommandRejectedException(e.Message);
            }

            var levelBefore = State.Enforcement.Level;
            var expiryBefore = State.Enforcement.Override?.Until;
            if (result.Changed && result.State.Enforcement.Override is { Until: { } until } && until != expiryBefore)
            {
                // The durable timer before the state: should the write then fail, a reminder whose override never
                // landed finds nothing to end at its tick and unregisters itself.
                await RegisterOverrideExpiryAsync(until);
            }

            await CommitAsync(result);
            if (expiryBefore is not null && State.Enforcement.Override?.Until is null)
            {
                await UnregisterOverrideExpiryAsync();
            }

            ScheduleOverrideExpiry();
            await TellNeighboursAsync(result.Status, levelBefore);
        }

        await decisions.FlushAsync();
        return View();
    }

    private static AppealOutcome AppealOutcomeOf(AnalystVerb verb) => verb switch
    {
        AnalystVerb.AppealUpheld => AppealOutcome.Upheld,
        AnalystVerb.AppealReversed => AppealOutcome.Reversed,
        _ => AppealOutcome.Partly,
    };

    /// <summary>
    /// After an analyst's action, the facts it sends (a seller closed → its linked stores) are delivered at once, and
    /// every grain they changed is written before the analyst hears back.
    /// </summary>
    private async Task TellNeighboursAsync(ApplyStatus status, int levelBefore)
    {
        var batch = new WorkBatch();
        await RouteAsync(null, status, levelBefore, batch);
        if (batch.Notices.Count == 0)
        {
            return;
        }

        var self = new Domain.Events.EntityRef(TState.Kind, Id);
        var totals = await WorkDelivery.RunAsync(GrainFactory, WorkPlan.FromNotices(batch.Notices), self: self, applySelf: ApplyAsync);
        await Task.WhenAll(totals.Touched.Where(t => t != self).Select(t => WorkPlan.Grain(GrainFactory, t).FlushAsync()));
        await FlushAsync();
    }

    /// <summary>Related entities for the analyst's view.</summary>
    protected abstract IEnumerable<LinkedEntity> Links();

    private static string KindName => TState.Kind.ToString().ToLowerInvariant();

    private EntityView View()
    {
        var e = State.Enforcement;
        // Known while its first write is under way too: the write clears _dirty before it sets RecordExists.
        return new EntityView(KindName, Id, persisted.RecordExists || _dirty || _writing is not null, e.Level, Ladders.StepName(TState.Kind, e.Level), e.Score,
            [.. e.Reasons], [.. e.History], e.Override, [.. Links()], e.AssessedAt, State.Clock, DomainJson.Serialize(State), [.. e.Appeals]);
    }

    /// <summary>
    /// The fast path of an override's expiry while the activation lives: a grain timer due at <c>until</c>, exact to the
    /// timer's resolution. The reminder (<see cref="ReceiveReminder"/>) is what guarantees the expiry; each activation
    /// sets the timer again, so a reminder tick that wakes the grain a little early is caught up by it.
    /// </summary>
    private void ScheduleOverrideExpiry()
    {
        _overrideExpiry?.Dispose();
        _overrideExpiry = null;
        if (State.Enforcement.Override is not { Until: { } until })
        {
            return;
        }

        var due = until - time.GetUtcNow();
        _overrideExpiry = this.RegisterGrainTimer(async _ =>
        {
            if (time.GetUtcNow() < until)
            {
                // Timers may fire a little early; reassessed before the override ends, nothing would change and no
                // timer would be left to end it.
                ScheduleOverrideExpiry();
                return;
            }

            await EndOverrideAsync();
            await UnregisterOverrideExpiryAsync();
        }, new GrainTimerCreationOptions(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan));
    }

    /// <summary>
    /// An override's expiry, durable: the reminder's first tick is due at <c>until</c> and it ticks every period after
    /// that until the override has ended, so a tick missed while its silo died, or one whose reassessment failed, comes
    /// again one period later (on whichever silo owns the reminder then), and activates the grain if it is not in memory.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != OverrideExpiryReminder)
        {
            return;
        }

        if (State.Enforcement.Override is { Until: { } until })
        {
            var now = time.GetUtcNow();
            if (now < until)
            {
                // Early (clocks of silos differ, timers round): reassessed now, nothing would end. The timer this
                // activation set ends it at until, and the next tick does if the grain leaves memory before.
                LogExpiryTickEarly(logger, GetType().Name, Id, until, now);
                return;
            }

            await EndOverrideAsync();
        }

        // Ended now, by the timer, or replaced by an override without expiry: the reminder has no more work.
        await UnregisterOverrideExpiryAsync();
    }

    /// <summary>Reassesses the entity now that its override has run out (the domain lifts it), durably.</summary>
    private async Task EndOverrideAsync()
    {
        var result = Reassess(State, time.GetUtcNow());
        await CommitAsync(result);
        ScheduleOverrideExpiry();
    }

    private Task RegisterOverrideExpiryAsync(DateTimeOffset until)
    {
        var due = until - time.GetUtcNow();

        // The period only spaces the ticks after until (a retry after a missed tick or a failed write); before until
        // there is none. The shortest the cluster allows, at least a second.
        var minimum = ServiceProvider.GetRequiredService<IOptions<ReminderOptions>>().Value.MinimumReminderPeriod;
        var period = minimum > TimeSpan.FromSeconds(1) ? minimum : TimeSpan.FromSeconds(1);
        return this.RegisterOrUpdateReminder(OverrideExpiryReminder, due > TimeSpan.Zero ? due : TimeSpan.Zero, period);
    }

    private async Task UnregisterOverrideExpiryAsync()
    {
        try
        {
            if (await this.GetReminder(OverrideExpiryReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The override's state is already stored; a reminder left behind finds no override to end at its next
            // tick and tries this again.
            LogExpiryUnregisterFailed(logger, GetType().Name, Id, e.Message);
        }
    }

    protected abstract ApplyResult<TState> Reassess(TState state, DateTimeOffset now);

    /// <summary>
    /// Applies a batch of work to the state in place (<see cref="ApplyItemAsync"/> runs only here, so its
    /// <c>owned: true</c> holds): no copy of the state per batch. If an item fails, the state may hold part of the
    /// batch, so this activation never writes it again: it leaves memory, the caller's retry meets the next activation,
    /// which reads the stored row, and the consumer replays what that row lacks (Checkpoints/README.md). Events are
    /// idempotent, and a replayed event routes its facts again.
    /// </summary>
    public async Task<WorkResult> ApplyAsync(EntityWork work)
    {
        if (_stale)
        {
            throw new InvalidOperationException($"{GetType().Name} {Id}: this activation is leaving memory (a failed apply or a stale write); retry to meet the next one");
        }

        if (work.Row is { } row && !_coverage.Holds(row))
        {
            // An earlier activation applied rows whose state never reached storage: refuse, and let the consumer
            // replay from its checkpoint (Checkpoints/README.md).
            LogGap(logger, GetType().Name, Id, row.Partition, row.Previous, _coverage.Through(row.Partition));
            return WorkResult.Empty with { Gap = row };
        }

        var batch = new WorkBatch();
        var shadowStart = ShadowStartBefore();
        try
        {
            foreach (var item in work.Items)
            {
                if (item.Event is { } e && (Validate(e) ?? (e is Domain.Events.AppealFiled a ? Appeals.Problem(State, a) : null)) is { } problem)
                {
                    batch.Rejected.Add(new RejectedEvent(e.EventId, problem.Code, problem.Reason));
                    continue;
                }

                var levelBefore = State.Enforcement.Level;
                var result = item.Event is Domain.Events.AppealFiled appeal
                    ? Appeals.File(State, appeal, Policy, owned: true)
                    : await ApplyItemAsync(item, batch);
                Accept(result, item, batch);
                if (result.Changed && item.Event is not Domain.Events.AppealFiled)
                {
                    AssessShadow(shadowStart, item.Event?.EventId ?? item.CauseEventId ?? "observed");
                }

                await RouteAsync(item, result.Status, levelBefore, batch);
            }
        }
        catch (Exception e)
        {
            _stale = true;
            DeactivateOnIdle();
            LogApplyFailed(logger, GetType().Name, Id, e.Message);
            throw;
        }

        if (work.Row is { } done && _coverage.Advance(done))
        {
            _dirty = true;
        }

        return new WorkResult(batch.Applied, batch.Duplicates, batch.Rejected, batch.Notices);
    }

    public async Task<JournalCoverage> FlushAsync()
    {
        await (_dirty ? WriteAsync() : _writing ?? Task.CompletedTask);
        return _stored;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_stale || (!_dirty && _writing is null))
        {
            return;
        }

        try
        {
            await WriteAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // No checkpoint has passed these rows: the consumer checks each grain's stored coverage before it moves,
            // and the next activation's coverage is the stored one, so the consumer replays them (Checkpoints/README.md).
            LogLastWriteFailed(logger, GetType().Name, Id, e.Message);
        }
    }

    /// <summary>
    /// Writes the state as it is now, one write at a time. <see cref="FlushAsync"/> interleaves with work, so a
    /// checkpoint's write does not hold up the next row: the state is serialized when the write starts, and work
    /// applied while it is under way leaves the grain dirty for the next one. A failed write leaves it dirty too.
    /// </summary>
    private async Task WriteAsync()
    {
        if (_stale)
        {
            throw new InvalidOperationException($"{GetType().Name} {Id}: this activation's state is not written (a failed apply or a stale write); the next activation reads the stored row");
        }

        while (true)
        {
            while (_writing is { } under)
            {
                await under.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Current);
            }

            if (!_dirty)
            {
                return;
            }

            // The candidate's decisions durable before the state that records its ladder: never a stored shadow step
            // without its row. Checked again after the wait (work interleaves with it), then the write starts at once.
            if (_shadowSink is { } shadows && !shadows.Written(_shadowPublished))
            {
                await shadows.FlushAsync(_shadowPublished);
                continue;
            }

            break;
        }

        _dirty = false;
        var covered = _coverage.Snapshot();
        persisted.State.JournalRows = covered;
        var write = persisted.WriteStateAsync();
        _writing = write;
        try
        {
            await write;
            _stored = new JournalCoverage(covered);
        }
        catch (Exception e) when (e is Orleans.Storage.InconsistentStateException || e.InnerException is Orleans.Storage.InconsistentStateException)
        {
            // Another activation of this grain wrote its row since this one read it (Orleans' single activation is
            // eventual while membership changes). This activation's ETag is stale: every later write would meet the
            // same 409/412, and its partitions could never checkpoint again. It leaves memory instead; the next
            // activation reads the stored row, and the consumer replays what that row lacks (Checkpoints/README.md).
            _dirty = true;
            _stale = true;
            DeactivateOnIdle();
            throw;
        }
        catch
        {
            _dirty = true;
            throw;
        }
        finally
        {
            _writing = null;
        }
    }

    /// <summary>Changes that must be durable before the caller hears back (analyst actions).</summary>
    protected async Task CommitAsync(ApplyResult<TState> result)
    {
        if (result.Changed)
        {
            persisted.State.State = result.State;
            _dirty = true;
            Publish(result);
            await WriteAsync();
        }
    }

    protected abstract TState Create(string id);

    /// <summary>An event this entity cannot take (valid shape, impossible content), with a code and a reason.</summary>
    protected virtual (string Code, string Reason)? Validate(Domain.Events.IntegrityEvent e) => null;

    /// <summary>One item of a batch, applied to <see cref="State"/> in place: domain applies take it as owned (see <see cref="ApplyAsync"/>).</summary>
    protected abstract ValueTask<ApplyResult<TState>> ApplyItemAsync(WorkItem item, WorkBatch batch);

    /// <summary>
    /// The facts this entity sends after one item, as the domain's <see cref="FactRouting"/> says (the same function the
    /// replay uses): the grain only loads what the domain cannot look up itself. <paramref name="item"/> is null after
    /// an analyst's action.
    /// </summary>
    protected abstract ValueTask RouteFactsAsync(WorkItem? item, int levelBefore, List<Delivery> into);

    /// <summary>
    /// Routes facts when the domain says an item routes (<see cref="FactRouting.Routes"/>), as notices for later rounds.
    /// Facts carry the item's event as their cause, which orders them for their targets.
    /// </summary>
    private async Task RouteAsync(WorkItem? item, ApplyStatus status, int levelBefore, WorkBatch batch)
    {
        if (!FactRouting.Routes(status, isEvent: item?.Event is not null))
        {
            return;
        }

        var facts = new List<Delivery>();
        await RouteFactsAsync(item, levelBefore, facts);
        var cause = item?.Event?.EventId ?? item?.CauseEventId;
        foreach (var fact in facts)
        {
            batch.Notices.Add(WorkDelivery.ToNotice(fact, cause));
        }
    }

    private void Accept(ApplyResult<TState> result, WorkItem item, WorkBatch batch)
    {
        switch (result.Status)
        {
            case ApplyStatus.Applied:
                persisted.State.State = result.State;
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
                batch.Rejected.Add(new RejectedEvent(late.EventId, WorkDelivery.TooLateCode,
                    $"{late.TypeName} at {late.OccurredAt:O} is older than every event {TState.Kind} {Id} still remembers; it cannot be told from a redelivery, so it was not applied"));
                break;
        }
    }

    /// <summary>
    /// The candidate's ladder as it would start from the real one before a batch (which changes the state in place),
    /// made only while a candidate is in force and its ladder has not started: null otherwise.
    /// </summary>
    private Domain.Enforcement.ShadowLadder? ShadowStartBefore() =>
        policy.Candidate is { } candidate && persisted.State.Shadow?.PolicyVersion != candidate.Version
            ? Domain.Enforcement.ShadowLadder.StartFrom(State.Enforcement, candidate.Version, (State as Domain.State.SellerState)?.Credit)
            : null;

    /// <summary>
    /// The candidate policy's would-be decision on the facts this item left, on its own ladder (started from the real
    /// one before the batch, with a seller's credit record, when the candidate first sees the entity). Recorded apart by the shadow sink,
    /// never published as a decision: no audit row, no webhook, no live feed, no change to the real step.
    /// </summary>
    /// <param name="startBefore">The candidate's ladder from before the batch (<see cref="ShadowStartBefore"/>); a
    /// candidate put in force while the batch ran starts from the real ladder as it is now.</param>
    private void AssessShadow(Domain.Enforcement.ShadowLadder? startBefore, string triggeringId)
    {
        if (policy.Candidate is not { } candidate)
        {
            return;
        }

        var record = persisted.State;
        if (record.Shadow is not { } shadow || shadow.PolicyVersion != candidate.Version)
        {
            record.Shadow = shadow = startBefore?.PolicyVersion == candidate.Version
                ? startBefore
                : Domain.Enforcement.ShadowLadder.StartFrom(State.Enforcement, candidate.Version, (State as Domain.State.SellerState)?.Credit);
        }

        if (Shadow(State, shadow, triggeringId, State.Clock ?? time.GetUtcNow(), Evidence.Gate(candidate)) is { } decision)
        {
            _shadowSink ??= ServiceProvider.GetRequiredService<ShadowDecisionSink>();
            _shadowPublished = _shadowSink.Publish(AuditRecords.FromShadow(decision, time.GetUtcNow()));
        }
    }

    /// <summary>The kind's rules assessing the candidate (see <c>EntityRunner.Shadow</c> in the domain).</summary>
    protected abstract Decision? Shadow(TState state, Domain.Enforcement.ShadowLadder shadow, string triggeringId, DateTimeOffset now, Domain.Policy.PolicyOptions candidate);

    private void Publish(ApplyResult<TState> result)
    {
        if (result.Decision is { } decision)
        {
            decisions.Publish(AuditRecords.From(decision, time.GetUtcNow()));
        }

        if (result.Appeal is { } appeal)
        {
            var e = result.State.Enforcement;
            decisions.Publish(AuditRecords.FromAppeal(TState.Kind, Id, appeal, Ladders.StepName(TState.Kind, e.Level), e.Score, Policy.Version, time.GetUtcNow()));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain} {Id}: partition {Partition} delivered after row {Previous}, but the state holds rows only through {Through}; refused for a replay from the checkpoint")]
    private static partial void LogGap(ILogger logger, string grain, string id, int partition, long previous, long through);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Grain} {Id}: override expiry reminder ticked at {Now:O}, before the override's end {Until:O}; waiting")]
    private static partial void LogExpiryTickEarly(ILogger logger, string grain, string id, DateTimeOffset until, DateTimeOffset now);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain} {Id}: could not unregister the override expiry reminder; its next tick tries again: {Error}")]
    private static partial void LogExpiryUnregisterFailed(ILogger logger, string grain, string id, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Grain} {Id}: state write at deactivation failed; replay from the journal checkpoint will restore it: {Error}")]
    private static partial void LogLastWriteFailed(ILogger logger, string grain, string id, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain} {Id}: an apply failed midway; this activation leaves memory without writing its state, and the journal's replay restores it: {Error}")]
    private static partial void LogApplyFailed(ILogger logger, string grain, string id, string error);
}

/// <summary>What one call to <see cref="EntityGrain{TState}.ApplyAsync"/> collects.</summary>
public sealed class WorkBatch
{
    public int Applied { get; set; }

    public int Duplicates { get; set; }

    public List<RejectedEvent> Rejected { get; } = [];

    public List<Notice> Notices { get; } = [];
}
