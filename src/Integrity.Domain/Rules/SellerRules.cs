using System.Globalization;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Signals.Seller;
using Integrity.Domain.State;

namespace Integrity.Domain.Rules;

/// <summary>Pure functions the seller grain calls. None mutates its input state, unless told the caller owns it.</summary>
public static class SellerRules
{
    /// <param name="owned">The caller owns <paramref name="state"/>: it is changed in place (see <see cref="EntityRunner.Apply{T}"/>).</param>
    public static ApplyResult<SellerState> Apply(SellerState state, IntegrityEvent e, SellerContext context, PolicyOptions policy, bool owned = false) =>
        WithCredit(EntityRunner.Apply(state, e, policy, next => Record(next, e, context), Evaluate, owned), policy);

    /// <summary>One of the seller's listings was assessed. Unchanged if its level and reasons are what the seller already knew.</summary>
    /// <param name="owned">The caller owns <paramref name="state"/>: it is changed in place (see <see cref="EntityRunner.Apply{T}"/>).</param>
    public static ApplyResult<SellerState> ObserveListingOutcome(SellerState state, ListingOutcomeFact fact, PolicyOptions policy, bool owned = false)
    {
        // Checked before anything is built: a listing reports after every event it applies, and mostly nothing changed.
        if (state.Listings.TryGetValue(fact.ListingId, out var current) && (current.At > fact.At || (current.Level == fact.Level && SameCodes(current.ReasonCodes, fact.ReasonCodes))))
        {
            return EntityRunner.Unchanged(state, ApplyStatus.Duplicate, policy);
        }

        return RecordListingOutcome(state, fact, policy, owned);
    }

    /// <summary>Apart from the check, so the closure over the fact is allocated only for an outcome that may be new.</summary>
    private static ApplyResult<SellerState> RecordListingOutcome(SellerState state, ListingOutcomeFact fact, PolicyOptions policy, bool owned)
    {
        return WithCredit(EntityRunner.Observe(state, fact.At, TriggeringId.Deferred(fact, ListingOutcomeId), policy, next =>
        {
            var outcome = new ListingOutcome(fact.Level, fact.Score, Sorted(fact.ReasonCodes), fact.At);
            if (next.Listings.TryGetValue(fact.ListingId, out var known) && (known.At > fact.At ||
                (known.Level == outcome.Level && known.ReasonCodes.SequenceEqual(outcome.ReasonCodes)))) return false;
            if (outcome.Level == 0 && outcome.ReasonCodes.Count == 0) next.Listings.Remove(fact.ListingId);
            else next.Listings[fact.ListingId] = outcome;
            Trim(next.Listings, SellerState.MaxListings, l => l.At);
            return true;
        }, Evaluate, owned), policy);
    }

    /// <summary>A seller sharing identifiers with this one was linked or changed level. Unchanged if already known.</summary>
    /// <param name="owned">The caller owns <paramref name="state"/>: it is changed in place (see <see cref="EntityRunner.Apply{T}"/>).</param>
    public static ApplyResult<SellerState> ObserveLinkedSeller(SellerState state, LinkedSellerFact fact, PolicyOptions policy, bool owned = false) =>
        WithCredit(EntityRunner.Observe(state, fact.At, TriggeringId.Deferred(fact, LinkedSellerId), policy, next => Link(next, fact), Evaluate, owned), policy);

    /// <summary>The triggering id of a <see cref="ListingOutcomeFact"/>, written only for a decision (<see cref="TriggeringId"/>).</summary>
    private static string ListingOutcomeId(object source)
    {
        var fact = (ListingOutcomeFact)source;
        return $"listing-outcome/{fact.ListingId}/{fact.Level}/{string.Join('+', fact.ReasonCodes)}";
    }

    /// <summary>The triggering id of a <see cref="LinkedSellerFact"/>, written only for a decision (<see cref="TriggeringId"/>).</summary>
    private static string LinkedSellerId(object source)
    {
        var fact = (LinkedSellerFact)source;
        return $"linked-seller/{fact.SellerId}/{fact.Level}";
    }

    /// <summary>The candidate policy's would-be decision on the facts the state holds, on its own ladder (see <see cref="EntityRunner.Shadow{T}"/>).</summary>
    /// <remarks>
    /// The candidate keeps its own credit record (<see cref="ShadowLadder.Credit"/>): its steps add their points there, and
    /// its evaluation reads it, so a step the real ladder just took does not count as a prior offense for the candidate.
    /// </remarks>
    public static Decision? Shadow(SellerState state, ShadowLadder shadow, string triggeringId, DateTimeOffset now, PolicyOptions candidate)
    {
        var real = state.Credit;
        state.Credit = shadow.Credit ??= real.Clone();
        try
        {
            var decision = EntityRunner.Shadow(state, shadow.Enforcement, triggeringId, now, candidate, Evaluate);
            if (decision is { IsStepUp: true }) AddPenalties(state, decision.FromLevel, decision.ToLevel, decision.DecisionId, decision.At, candidate);
            return decision;
        }
        finally
        {
            state.Credit = real;
        }
    }

    public static ApplyResult<SellerState> Reassess(SellerState state, DateTimeOffset now, PolicyOptions policy) =>
        WithCredit(EntityRunner.Observe(state, now, $"reassess/{now:yyyyMMddTHHmmssfff}", policy, _ => true, Evaluate), policy);

    /// <summary>
    /// Seller signals, then the credit record: when the signals amount to an offense (score at Warning or above),
    /// decayed points and prior offenses are added, so a repeat offender climbs faster than a first-timer.
    /// </summary>
    private static Evaluation Evaluate(SellerState s, DateTimeOffset now, PolicyOptions policy)
    {
        var reasons = SellerSignals.Evaluate(s, now, policy);
        // Most sellers acknowledged nothing: the signals' own list is what counts, read before the credit reason joins it.
        var counted = s.Enforcement.Acknowledged.Count == 0 ? reasons : Unacknowledged(reasons, s.Enforcement.Acknowledged);
        var floor = counted.Exists(r => r.Code == ReasonCodes.LinkedToClosed && !r.Inactive) ? (int)SellerStep.PayoutsHeld : 0;
        if (Scoring.Combine(counted) < policy.Seller.Warning) return new Evaluation(reasons, 0, floor);

        var currentOffense = s.Enforcement.Level > 0 ? s.Credit.Offenses : s.Credit.Offenses + 1;
        var points = s.Credit.DecayedPriorPoints(now, policy.Credit.HalfLife, currentOffense);
        var priorOffenses = Math.Min(currentOffense - 1, policy.Credit.MaxPriorOffensesCounted);
        var boost = (points * policy.Credit.ScorePerPoint) + (priorOffenses * policy.Credit.ScorePerPriorOffense);
        if (boost <= 0) return new Evaluation(reasons, 0, floor);

        reasons.Add(CreditReason(s, policy, points, currentOffense, boost));
        return new Evaluation(reasons, boost, floor);
    }

    private static List<Reason> Unacknowledged(List<Reason> reasons, List<string> acknowledged) => reasons.Where(r => !acknowledged.Contains(r.Code)).ToList();

    /// <summary>The credit record's reason (apart, so its closures are allocated only for a seller whose record adds to the score).</summary>
    private static Reason CreditReason(SellerState s, PolicyOptions policy, double points, int currentOffense, double boost)
    {
        var earned = s.Credit.Penalties.Where(p => p.Offense < currentOffense).Sum(p => p.Points);
        return new Reason(
            ReasonCodes.CreditRecord,
            string.Create(CultureInfo.InvariantCulture,
                $"{points:0.#} of {earned:0} penalty points left (half-life {policy.Credit.HalfLife.TotalDays:0.#}d) and {currentOffense - 1} prior offense{(currentOffense == 2 ? "" : "s")} add {boost:0.#} to the score"),
            Math.Round(boost, 2),
            0,
            0,
            s.Credit.Penalties.Where(p => p.Offense < currentOffense).Select(p => p.DecisionId).TakeLast(Reason.MaxEventIds).ToList());
    }

    /// <summary>Each step climbed adds its penalty points to the offense in progress (opening a new offense when leaving None).</summary>
    internal static ApplyResult<SellerState> WithCredit(ApplyResult<SellerState> result, PolicyOptions policy)
    {
        if (result.Decision is not { IsStepUp: true } decision) return result;
        AddPenalties(result.State, decision.FromLevel, decision.ToLevel, decision.DecisionId, decision.At, policy);
        return result;
    }

    internal static void AddPenalties(SellerState s, int from, int to, string decisionId, DateTimeOffset at, PolicyOptions policy)
    {
        if (from == 0)
        {
            s.Credit.Offenses++;
            s.Credit.LastOffenseAt = at;
        }

        var points = policy.Credit.PointsPerStep();
        var total = Enumerable.Range(from + 1, Math.Max(0, to - from)).Sum(level => points[level - 1]);
        s.Credit.Penalties.Add(new PenaltyEntry(at, total, s.Credit.Offenses, decisionId));
        if (s.Credit.Penalties.Count > CreditRecord.MaxPenalties) s.Credit.Penalties.RemoveAt(0);
    }

    private static void Record(SellerState s, IntegrityEvent e, SellerContext context)
    {
        switch (e)
        {
            case SellerRegistered registered:
                s.RegisteredAt = s.RegisteredAt is { } at && at < registered.OccurredAt ? at : registered.OccurredAt;
                s.Name ??= registered.Name;
                AddIdentifiers(s, registered.Identifiers);
                break;
            case SellerUpdated updated:
                s.Name = updated.Name ?? s.Name;
                AddIdentifiers(s, updated.Identifiers);
                break;
            case ListingCreated:
                s.ListingsCreated.Add(e.OccurredAt);
                break;
            case OrderEvent order:
                RecordOrder(s, order);
                break;
            case ComplaintFiled complaint:
                BoundedLists.InsertByTime(s.Complaints, new SellerComplaint(complaint.EventId, complaint.Kind, complaint.ListingId, complaint.OccurredAt), c => c.At, SellerState.MaxComplaints);
                break;
            case BrandReported report when report.Kind != BrandReportKind.Defamation:
                BoundedLists.InsertByTime(s.BrandReports, new SellerBrandReport(report.EventId, report.Kind, report.ListingId, report.OccurredAt), r => r.At, SellerState.MaxBrandReports);
                break;
        }

        foreach (var linked in context.LinkedSellers ?? []) Link(s, linked);
    }

    private static void AddIdentifiers(SellerState s, IdentifierSet identifiers)
    {
        foreach (var id in identifiers.Present())
        {
            if (!s.Identifiers.Contains(id)) s.Identifiers.Add(id);
        }

        if (s.Identifiers.Count > SellerState.MaxIdentifiers) s.Identifiers.RemoveRange(0, s.Identifiers.Count - SellerState.MaxIdentifiers);
    }

    /// <summary>Order events update one record per order; a refund or cancellation may arrive before the order itself.</summary>
    private static void RecordOrder(SellerState s, OrderEvent e)
    {
        var status = e switch
        {
            OrderRefunded => OrderStatus.Refunded,
            OrderCancelled => OrderStatus.Cancelled,
            OrderDelivered => OrderStatus.Delivered,
            _ => OrderStatus.Placed,
        };
        var selfLinked = e.BuyerId == s.SellerId || SharesIdentifier(s, e);
        var times = s.OrderTimes();
        var i = times.IndexOf(s.Orders, e.OrderId);
        if (i < 0)
        {
            var order = new SellerOrder(e.OrderId, e.BuyerId, e.ListingId, e.OccurredAt, status, selfLinked, e.EventId);
            times.Add(order);
            BoundedLists.InsertByTime(s.Orders, order, o => o.At, SellerState.MaxOrders, times.Remove);
            return;
        }

        var known = s.Orders[i];
        times.Remove(known);
        s.Orders[i] = known with
        {
            // Refunded and cancelled are final; a late "delivered" or "placed" must not undo them.
            Status = Rank(status) > Rank(known.Status) ? status : known.Status,
            At = e is OrderPlaced ? e.OccurredAt : known.At,
            SelfLinked = known.SelfLinked || selfLinked,
            EventId = Rank(status) > Rank(known.Status) && status is OrderStatus.Refunded or OrderStatus.Cancelled ? e.EventId : known.EventId,
        };
        times.Add(s.Orders[i]);
    }

    /// <summary>Whether the buyer of the order uses one of the seller's identifiers (a loop: no identifier objects, iterators or closures per order).</summary>
    private static bool SharesIdentifier(SellerState s, OrderEvent e)
    {
        foreach (var id in s.Identifiers)
        {
            if (e.HasBuyerIdentifier(id)) return true;
        }

        return false;
    }

    /// <summary>Later states win whatever the arrival order; refunded outranks cancelled so both orders of arrival agree.</summary>
    private static int Rank(OrderStatus status) => status switch
    {
        OrderStatus.Placed => 0,
        OrderStatus.Delivered => 1,
        OrderStatus.Cancelled => 2,
        _ => 3,
    };

    private static bool Link(SellerState s, LinkedSellerFact fact)
    {
        if (fact.SellerId == s.SellerId) return false;
        var kinds = s.LinkedSellers.TryGetValue(fact.SellerId, out var known)
            ? known.SharedKinds.Union(fact.SharedKinds).Order().ToList()
            : fact.SharedKinds.Distinct().Order().ToList();
        if (known is not null && known.Level == fact.Level && known.SharedKinds.SequenceEqual(kinds)) return false;
        if (known is not null && known.At > fact.At && known.SharedKinds.SequenceEqual(kinds)) return false;
        s.LinkedSellers[fact.SellerId] = new LinkedSeller(kinds, known is not null && known.At > fact.At ? known.Level : fact.Level, BoundedLists.Later(known?.At, fact.At));
        Trim(s.LinkedSellers, SellerState.MaxLinkedSellers, l => l.At);
        return true;
    }

    /// <summary>The codes in ordinal order (equal codes are the same text, so an unstable sort orders them as a stable one).</summary>
    private static List<string> Sorted(IReadOnlyList<string> codes)
    {
        var sorted = new List<string>(codes.Count);
        for (var i = 0; i < codes.Count; i++) sorted.Add(codes[i]);
        sorted.Sort(StringComparer.Ordinal);
        return sorted;
    }

    /// <summary>
    /// Whether <paramref name="codes"/>, sorted, equal the (sorted) <paramref name="known"/> codes: the same multiset,
    /// compared without sorting or allocating (a handful of codes at most).
    /// </summary>
    private static bool SameCodes(IReadOnlyList<string> known, IReadOnlyList<string> codes)
    {
        if (known.Count != codes.Count) return false;
        for (var i = 0; i < codes.Count; i++)
        {
            if (Occurrences(codes, codes[i]) != Occurrences(known, codes[i])) return false;
        }

        return true;
    }

    private static int Occurrences(IReadOnlyList<string> list, string code)
    {
        var n = 0;
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], code, StringComparison.Ordinal)) n++;
        }

        return n;
    }

    private static void Trim<T>(Dictionary<string, T> map, int max, Func<T, DateTimeOffset> at)
    {
        if (map.Count <= max) return;
        foreach (var key in map.OrderBy(kv => at(kv.Value)).Take(map.Count - max).Select(kv => kv.Key).ToList()) map.Remove(key);
    }
}
