using System.Text.Json.Serialization;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;

namespace Integrity.Domain.State;

/// <summary>
/// A review by this account; <see cref="OrderId"/> is the verified purchase it is about, if any.
/// <see cref="ListingMeanBefore"/>: the listing's average rating over the <see cref="ListingRatingsBefore"/> ratings it
/// had when this review arrived (null when unknown), for the rating-deviation signal.
/// </summary>
public sealed record ReviewerReview(
    string EventId,
    string ReviewId,
    string ListingId,
    string SellerId,
    int Rating,
    DateTimeOffset At,
    bool Verified,
    ulong TextHash,
    int TextLength,
    string? OrderId = null,
    double? ListingMeanBefore = null,
    int ListingRatingsBefore = 0) : ITimed;

/// <summary>An order of this customer; later order events fill in refund or cancellation (they may arrive first).</summary>
public sealed record ReviewerOrder(string OrderId, string ListingId, string SellerId, DateTimeOffset? PlacedAt, DateTimeOffset? RefundedAt, DateTimeOffset? CancelledAt, string LastEventId);

/// <summary>A review whose text near-duplicates another: one of this account's on another listing, or another account's.</summary>
public sealed record DuplicateTextHit(string EventId, string ListingId, string? OtherReviewerId, DateTimeOffset At) : ITimed;

/// <summary>Risk state of one customer account (buyer and reviewer). Persisted as JSON; every collection is bounded.</summary>
public sealed class ReviewerState : IEntityState<ReviewerState>
{
    public const int MaxReviews = 200;
    public const int MaxOrders = 200;
    public const int MaxCoReviewers = 200;
    public const int MaxSharedListings = 20;
    public const int MaxDuplicateHits = 50;

    public int Version { get; set; } = 1;

    public string ReviewerId { get; set; } = "";

    public DateTimeOffset? AccountCreatedAt { get; set; }

    public DateTimeOffset? FirstReviewAt { get; set; }

    public string? FirstReviewEventId { get; set; }

    public DateTimeOffset? Clock { get; set; }

    public List<ReviewerReview> Reviews { get; set; } = [];

    public List<ReviewerOrder> Orders { get; set; } = [];

    /// <summary>Other accounts that reviewed the same listing close in time, and which listings (lockstep evidence).</summary>
    public Dictionary<string, List<string>> CoReviewers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When each co-reviewer was last seen, for pruning the least recent first.</summary>
    public Dictionary<string, DateTimeOffset> CoReviewerSeen { get; set; } = new(StringComparer.Ordinal);

    public List<DuplicateTextHit> DuplicateHits { get; set; } = [];

    public EnforcementState Enforcement { get; set; } = new();

    public AppliedEventLog Applied { get; set; } = new();

    public long EventsApplied { get; set; }

    public static EntityKind Kind => EntityKind.Reviewer;

    [JsonIgnore]
    public ReviewerStep Step => (ReviewerStep)Enforcement.Level;

    string IEntityState<ReviewerState>.EntityId => ReviewerId;

    public static ReviewerState Create(string reviewerId) => new() { ReviewerId = reviewerId };

    public ReviewerState Clone() => new()
    {
        Version = Version,
        ReviewerId = ReviewerId,
        AccountCreatedAt = AccountCreatedAt,
        FirstReviewAt = FirstReviewAt,
        FirstReviewEventId = FirstReviewEventId,
        Clock = Clock,
        Reviews = [.. Reviews],
        Orders = [.. Orders],
        CoReviewers = CoReviewers.ToDictionary(kv => kv.Key, kv => new List<string>(kv.Value), StringComparer.Ordinal),
        CoReviewerSeen = new(CoReviewerSeen, StringComparer.Ordinal),
        DuplicateHits = [.. DuplicateHits],
        Enforcement = Enforcement.Clone(),
        Applied = Applied.Clone(),
        EventsApplied = EventsApplied,
    };
}
