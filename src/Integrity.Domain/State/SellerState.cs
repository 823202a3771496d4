using System.Text.Json.Serialization;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Primitives;

namespace Integrity.Domain.State;

public enum OrderStatus
{
    Placed,
    Delivered,
    Cancelled,
    Refunded,
}

/// <summary>One order of the seller. <see cref="SelfLinked"/>: its buyer, ship-to or payment matched the seller's own identifiers.</summary>
public sealed record SellerOrder(string OrderId, string BuyerId, string ListingId, DateTimeOffset At, OrderStatus Status, bool SelfLinked, string EventId) : ITimed;

public sealed record SellerComplaint(string EventId, ComplaintKind Kind, string ListingId, DateTimeOffset At) : ITimed;

public sealed record SellerBrandReport(string EventId, BrandReportKind Kind, string? ListingId, DateTimeOffset At) : ITimed;

/// <summary>The last known outcome of one of the seller's listings (reported by the listing).</summary>
public sealed record ListingOutcome(int Level, double Score, IReadOnlyList<string> ReasonCodes, DateTimeOffset At);

/// <summary>Another seller sharing identifiers with this one, and where it stands on its ladder.</summary>
public sealed record LinkedSeller(IReadOnlyList<IdentifierKind> SharedKinds, int Level, DateTimeOffset At);

/// <summary>Penalty points added when the seller climbed a step during offense number <see cref="Offense"/>.</summary>
public sealed record PenaltyEntry(DateTimeOffset At, double Points, int Offense, string DecisionId);

/// <summary>
/// The seller credit record. An offense is an episode that starts when the seller leaves None; its penalties only
/// weigh on later offenses (never on the one that earned them, which would feed back into itself).
/// </summary>
public sealed class CreditRecord
{
    public const int MaxPenalties = 100;

    public int Offenses { get; set; }

    public DateTimeOffset? LastOffenseAt { get; set; }

    public List<PenaltyEntry> Penalties { get; set; } = [];

    /// <summary>Points from offenses before the current one, halved every half-life since they were earned.</summary>
    public double DecayedPriorPoints(DateTimeOffset now, TimeSpan halfLife, int currentOffense) =>
        Penalties.Where(p => p.Offense < currentOffense)
            .Sum(p => p.Points * Math.Pow(0.5, Math.Max(0, (now - p.At).Ticks) / (double)halfLife.Ticks));

    public CreditRecord Clone() => new() { Offenses = Offenses, LastOffenseAt = LastOffenseAt, Penalties = [.. Penalties] };
}

/// <summary>Risk state of one seller (store). Persisted as JSON; every collection is bounded.</summary>
public sealed class SellerState : IEntityState<SellerState>
{
    public const int MaxIdentifiers = 50;
    public const int MaxOrders = 500;
    public const int MaxComplaints = 300;
    public const int MaxBrandReports = 100;
    public const int MaxListings = 500;
    public const int MaxLinkedSellers = 500;

    public int Version { get; set; } = 1;

    public string SellerId { get; set; } = "";

    public string? Name { get; set; }

    public DateTimeOffset? RegisteredAt { get; set; }

    public DateTimeOffset? Clock { get; set; }

    /// <summary>Every identifier the seller has used (old ones still link).</summary>
    public List<IdentifierHash> Identifiers { get; set; } = [];

    public List<SellerOrder> Orders { get; set; } = [];

    public TimeBuckets ListingsCreated { get; set; } = new(TimeSpan.FromHours(1), 24 * 8);

    public List<SellerComplaint> Complaints { get; set; } = [];

    public List<SellerBrandReport> BrandReports { get; set; } = [];

    public Dictionary<string, ListingOutcome> Listings { get; set; } = new(StringComparer.Ordinal);

    public Dictionary<string, LinkedSeller> LinkedSellers { get; set; } = new(StringComparer.Ordinal);

    public CreditRecord Credit { get; set; } = new();

    public EnforcementState Enforcement { get; set; } = new();

    public AppliedEventLog Applied { get; set; } = new();

    public long EventsApplied { get; set; }

    public static EntityKind Kind => EntityKind.Seller;

    [JsonIgnore]
    public SellerStep Step => (SellerStep)Enforcement.Level;

    string IEntityState<SellerState>.EntityId => SellerId;

    private OrderTimes? _orderTimes;
    private List<SellerOrder>? _orderTimesOf;

    /// <summary>
    /// Running counts over <see cref="Orders"/> (<see cref="OrderTimes"/>), built on first use for the list as it is
    /// and kept in step by the seller's rules, which record every order through it; built again if the list was
    /// replaced or changed by other means.
    /// </summary>
    internal OrderTimes OrderTimes()
    {
        if (_orderTimes is null || !ReferenceEquals(_orderTimesOf, Orders) || _orderTimes.Count != Orders.Count)
        {
            (_orderTimes, _orderTimesOf) = (State.OrderTimes.Of(Orders), Orders);
        }

        return _orderTimes;
    }

    public static SellerState Create(string sellerId) => new() { SellerId = sellerId };

    public SellerState Clone()
    {
        var copy = CopyFields();
        if (_orderTimes is not null && ReferenceEquals(_orderTimesOf, Orders) && _orderTimes.Count == Orders.Count)
        {
            (copy._orderTimes, copy._orderTimesOf) = (_orderTimes.Clone(), copy.Orders);
        }

        return copy;
    }

    private SellerState CopyFields() => new()
    {
        Version = Version,
        SellerId = SellerId,
        Name = Name,
        RegisteredAt = RegisteredAt,
        Clock = Clock,
        Identifiers = [.. Identifiers],
        Orders = [.. Orders],
        ListingsCreated = ListingsCreated.Clone(),
        Complaints = [.. Complaints],
        BrandReports = [.. BrandReports],
        Listings = new(Listings, StringComparer.Ordinal),
        LinkedSellers = new(LinkedSellers, StringComparer.Ordinal),
        Credit = Credit.Clone(),
        Enforcement = Enforcement.Clone(),
        Applied = Applied.Clone(),
        EventsApplied = EventsApplied,
    };
}
