using Integrity.Contracts;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Propagation;
using Integrity.Domain.Rules;
using Integrity.Domain.State;
using Integrity.Grains.Checkpoints;
using Integrity.Grains.Decisions;
using Integrity.Grains.Policy;
using Microsoft.Extensions.Logging;

namespace Integrity.Grains.Entities;

/// <summary>
/// A seller. Its identifiers link it to other sellers through identifier grains; when its level changes, every
/// seller sharing an identifier hears of it (a closed store puts its strongly linked network on hold).
/// </summary>
// Immovable: a silo that stops would otherwise hand a busy activation's in-memory state to another silo (Orleans 10
// migrates activations with queued requests on shutdown). The new activation would take that state, unstored effects
// included, for the stored row and report it covered, and a checkpoint could pass an event whose effect is not stored.
// Immovable, it deactivates with its last write and the next activation reads the stored row (Checkpoints/README.md).
[Orleans.Placement.Immovable]
public sealed class SellerGrain(
    [PersistentState("seller")] IPersistentState<EntityRecord<SellerState>> state,
    IDecisionSink decisions,
    IPolicyProvider policy,
    TimeProvider time,
    ILogger<SellerGrain> logger) : EntityGrain<SellerState>(state, decisions, policy, time, logger), ISellerGrain
{
    /// <summary>The sellers an identity event's identifiers are shared with, from its apply to its routing (one item at a time).</summary>
    private Dictionary<string, List<IdentifierKind>>? _identityShared;

    public Task<int> GetLevelAsync() => Task.FromResult(State.Enforcement.Level);

    protected override SellerState Create(string id) => SellerState.Create(id);

    protected override async ValueTask<ApplyResult<SellerState>> ApplyItemAsync(WorkItem item, WorkBatch batch)
    {
        switch (item)
        {
            case { Event: SellerRegistered or SellerUpdated } identity:
                var identifiers = identity.Event is SellerRegistered r ? r.Identifiers : ((SellerUpdated)identity.Event).Identifiers;
                var shared = await SharedWithAsync(identifiers.Present());
                var levels = await Task.WhenAll(shared.Keys.Select(s => GrainFactory.GetGrain<ISellerGrain>(s).GetLevelAsync()));
                var facts = shared.Zip(levels, (s, level) => new LinkedSellerFact(s.Key, level, s.Value, identity.Event.OccurredAt)).ToList();
                _identityShared = shared;
                return SellerRules.Apply(State, identity.Event, new SellerContext(facts), Policy, owned: true);

            case { Event: { } other }:
                return SellerRules.Apply(State, other, SellerContext.None, Policy, owned: true);

            case { ListingOutcome: { } outcome }:
                return SellerRules.ObserveListingOutcome(State, outcome, Policy, owned: true);

            case { LinkedSeller: { } linked }:
                return SellerRules.ObserveLinkedSeller(State, linked, Policy, owned: true);

            default:
                throw new ArgumentException("A seller takes events, listing outcomes and linked-seller facts only.", nameof(item));
        }
    }

    protected override async ValueTask RouteFactsAsync(WorkItem? item, int levelBefore, List<Delivery> into)
    {
        if (FactRouting.TellsLinkedSellers(State, levelBefore))
        {
            // The identifier grains are the context: who else used each identifier.
            var identifiers = State.Identifiers.ToList();
            var sharing = await SellersUsingAsync(identifiers);
            var byKey = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            for (var i = 0; i < identifiers.Count; i++)
            {
                byKey[identifiers[i].Key] = sharing[i];
            }

            FactRouting.AfterSeller(State, levelBefore, id => byKey[id.Key], into);
        }

        if (item?.Event is SellerRegistered or SellerUpdated && _identityShared is { } shared)
        {
            FactRouting.AfterIdentity(Id, State.Enforcement.Level, shared, item.Event.OccurredAt, into);
        }

        _identityShared = null;
    }

    /// <summary>Other sellers sharing any of the identifiers, with the kinds they share (registers this seller too).</summary>
    private async Task<Dictionary<string, List<IdentifierKind>>> SharedWithAsync(IEnumerable<IdentifierHash> identifiers)
    {
        var list = identifiers.ToList();
        var others = await SellersUsingAsync(list);
        var shared = new Dictionary<string, List<IdentifierKind>>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            foreach (var other in others[i])
            {
                if (!shared.TryGetValue(other, out var kinds))
                {
                    shared[other] = kinds = [];
                }

                kinds.Add(list[i].Kind);
            }
        }

        return shared;
    }

    /// <summary>Per identifier, the sellers that used it (linking this one, idempotently).</summary>
    private Task<IReadOnlyList<string>[]> SellersUsingAsync(IReadOnlyList<IdentifierHash> identifiers) =>
        Task.WhenAll(identifiers.Select(i => GrainFactory.GetGrain<IIdentifierGrain>(i.Key).LinkAsync(Id)));

    protected override IEnumerable<LinkedEntity> Links() =>
        State.LinkedSellers.Select(p => new LinkedEntity("seller", p.Key, "shares " + string.Join(", ", p.Value.SharedKinds), p.Value.Level))
            .Concat(State.Listings.Select(p => new LinkedEntity("listing", p.Key, "listing", p.Value.Level)));

    protected override ApplyResult<SellerState> Reassess(SellerState state, DateTimeOffset now) => SellerRules.Reassess(state, now, Policy);

    protected override Decision? Shadow(SellerState state, ShadowLadder shadow, string triggeringId, DateTimeOffset now, PolicyOptions candidate) =>
        SellerRules.Shadow(state, shadow, triggeringId, now, candidate);
}
