using CsCheck;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.Serialization;
using Integrity.Domain.State;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Signals;

/// <summary>
/// The seller's order signals count their window from running counts kept as orders are recorded. Whatever the order
/// of arrival (refunds before their orders, orders moved by a late placement) and past the bound on kept orders, they
/// must count what a walk over the orders counts, and a state read back from JSON (counts built anew) must judge alike.
/// </summary>
public sealed class SellerOrderCountTests
{
    private static readonly DateTimeOffset Start = ScenarioBuilder.DefaultStart;

    private static PolicyOptions Policy()
    {
        var policy = new PolicyOptions();
        policy.Signals[ReasonCodes.SellerComplaintRate] = new SignalRule(weight: 0.35, threshold: 0, minCount: 1, window: TimeSpan.FromDays(3));
        policy.Signals[ReasonCodes.Brushing] = new SignalRule(weight: 0.5, threshold: 0.3, minCount: 20, window: TimeSpan.FromDays(2));
        policy.Signals[ReasonCodes.SelfLinkedOrders] = new SignalRule(weight: 0.3, threshold: 8, minCount: 0, window: TimeSpan.FromDays(2));
        return policy;
    }

    private static readonly Gen<IntegrityEvent> OrderEvent =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 6 * 24 * 60], Gen.Int[0, 799], Gen.Int[0, 19])
            .Select((kind, minute, order, buyer) =>
            {
                var at = Start + TimeSpan.FromMinutes(minute);
                // Buyer 0 is the seller itself: its orders are self-linked.
                var (o, c) = ($"O-{order}", buyer == 0 ? "S-1" : $"C-{buyer}");
                return kind switch
                {
                    <= 4 => new OrderPlaced($"p-{order}-{minute}", at, o, "L-1", "S-1", c, 20m, "EUR", null, null),
                    5 or 6 => new OrderRefunded($"r-{order}-{minute}", at, o, "L-1", "S-1", c, 20m, "EUR"),
                    7 => new OrderCancelled($"x-{order}-{minute}", at, o, "L-1", "S-1", c, 20m, "EUR"),
                    8 => new OrderDelivered($"d-{order}-{minute}", at, o, "L-1", "S-1", c, 20m, "EUR"),
                    _ => (IntegrityEvent)new ComplaintFiled($"cp-{minute}", at, $"CP-{minute}", ComplaintKind.NotAsDescribed, "L-1", "S-1", c),
                };
            });

    [Fact]
    public void Windowed_order_counts_match_a_walk_over_the_orders_in_any_arrival_order()
    {
        var policy = Policy();
        var complaintWindow = policy.Rule(ReasonCodes.SellerComplaintRate).Window;
        var selfLinked = policy.Rule(ReasonCodes.SelfLinkedOrders);
        OrderEvent.Array[600, 1500].Sample(events =>
        {
            var owned = SellerState.Create("S-1");
            var copied = SellerState.Create("S-1");
            foreach (var e in events)
            {
                owned = SellerRules.Apply(owned, e, SellerContext.None, policy, owned: true).State;
                copied = SellerRules.Apply(copied, e, SellerContext.None, policy).State;
            }

            var readBack = DomainJson.Deserialize<SellerState>(DomainJson.Serialize(owned));
            foreach (var later in new[] { 0, 1, 2, 4 })
            {
                var now = owned.Clock!.Value + TimeSpan.FromDays(later);
                var walked = owned.Orders.Count(o => o.At > now - complaintWindow && o.At <= now);
                var live = SellerRules.Reassess(owned, now, policy).State.Enforcement.Reasons;
                if (live.SingleOrDefault(r => r.Code == ReasonCodes.SellerComplaintRate) is { } rate)
                {
                    Assert.Contains($" on {walked} orders in ", rate.Message, StringComparison.Ordinal);
                }

                var walkedSelfLinked = owned.Orders.Count(o => o.SelfLinked && o.At > now - selfLinked.Window && o.At <= now);
                Assert.Equal(walkedSelfLinked >= selfLinked.Threshold, live.Any(r => r.Code == ReasonCodes.SelfLinkedOrders));

                var expected = string.Join(" | ", live.Select(r => $"{r.Code}: {r.Message}"));
                Assert.Equal(expected, string.Join(" | ", SellerRules.Reassess(copied, now, policy).State.Enforcement.Reasons.Select(r => $"{r.Code}: {r.Message}")));
                Assert.Equal(expected, string.Join(" | ", SellerRules.Reassess(readBack, now, policy).State.Enforcement.Reasons.Select(r => $"{r.Code}: {r.Message}")));
            }
        }, iter: 25);
    }
}
