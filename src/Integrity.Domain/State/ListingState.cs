using System.Text.Json.Serialization;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Primitives;
using Integrity.Domain.Text;

namespace Integrity.Domain.State;

/// <summary>A review of the listing. <see cref="Duplicated"/>: its text near-duplicates another account's review of this listing.</summary>
public sealed record ListingReview(string EventId, string ReviewId, string ReviewerId, int Rating, DateTimeOffset At, bool Verified, ulong TextHash, int TextLength, bool Duplicated = false) : ITimed
{
    [JsonIgnore]
    public bool IsPositive => Rating >= 4;

    [JsonIgnore]
    public bool IsNegative => Rating <= 2;
}

public sealed record ListingComplaint(string EventId, ComplaintKind Kind, DateTimeOffset At) : ITimed;

public sealed record ListingBrandReport(string EventId, BrandReportKind Kind, string BrandId, DateTimeOffset At) : ITimed;

/// <summary>A title or category change, recorded with how many reviews the listing had collected before it.</summary>
public sealed record ListingRewrite(string EventId, DateTimeOffset At, string FromTitle, string ToTitle, string FromCategory, string ToCategory, int ReviewsBefore, double TitleOverlap) : ITimed;

/// <summary>The brand facts last fetched for this listing, kept so later events need not fetch them again.</summary>
public sealed record BrandCheck(string BrandId, string BrandName, string? MatchedKeyword, bool Authorized, decimal? ReferencePrice, string Currency);

/// <summary>Risk state of one listing. Persisted as JSON; every collection is bounded (see the Max constants).</summary>
public sealed class ListingState : IEntityState<ListingState>
{
    public const int MaxReviews = 300;
    public const int MaxComplaints = 200;
    public const int MaxBrandReports = 50;
    public const int MaxRewrites = 10;

    public int Version { get; set; } = 1;

    public string ListingId { get; set; } = "";

    public string? SellerId { get; set; }

    public string Title { get; set; } = "";

    public string Description { get; set; } = "";

    public string? BrandId { get; set; }

    public string CategoryId { get; set; } = "";

    public decimal? Price { get; set; }

    public string Currency { get; set; } = "";

    /// <summary>Time and id of the content event now in effect; an older update arriving late does not overwrite it.</summary>
    public DateTimeOffset? ContentAt { get; set; }

    public string? ContentEventId { get; set; }

    public DateTimeOffset? Clock { get; set; }

    /// <summary>The most recent reviews by event time.</summary>
    public List<ListingReview> Reviews { get; set; } = [];

    /// <summary>All-time count of reviews per rating (index 0 = 1 star).</summary>
    public int[] RatingTotals { get; set; } = new int[5];

    /// <summary>Positive (4-5 star) reviews per 10 minutes, a week deep: the review-burst baseline.</summary>
    public TimeBuckets PositiveReviews { get; set; } = new(TimeSpan.FromMinutes(10), 6 * 24 * 8);

    /// <summary>Negative (1-2 star) reviews, same shape: the review-attack baseline.</summary>
    public TimeBuckets NegativeReviews { get; set; } = new(TimeSpan.FromMinutes(10), 6 * 24 * 8);

    public TimeBuckets Orders { get; set; } = new(TimeSpan.FromDays(1), 60);

    public List<ListingComplaint> Complaints { get; set; } = [];

    public List<ListingBrandReport> BrandReports { get; set; } = [];

    public List<ListingRewrite> Rewrites { get; set; } = [];

    /// <summary>Claim phrases in the current title and description.</summary>
    public List<ClaimMatch> Claims { get; set; } = [];

    public BrandCheck? Brand { get; set; }

    public CategoryPriceSnapshot? CategoryPrices { get; set; }

    /// <summary>Ladder level of this listing's reviewers known to be at DownWeighted or above.</summary>
    public Dictionary<string, int> FlaggedReviewers { get; set; } = new(StringComparer.Ordinal);

    public EnforcementState Enforcement { get; set; } = new();

    public AppliedEventLog Applied { get; set; } = new();

    public long EventsApplied { get; set; }

    public static EntityKind Kind => EntityKind.Listing;

    [JsonIgnore]
    public ListingStep Step => (ListingStep)Enforcement.Level;

    string IEntityState<ListingState>.EntityId => ListingId;

    public static ListingState Create(string listingId) => new() { ListingId = listingId };

    public ListingState Clone() => new()
    {
        Version = Version,
        ListingId = ListingId,
        SellerId = SellerId,
        Title = Title,
        Description = Description,
        BrandId = BrandId,
        CategoryId = CategoryId,
        Price = Price,
        Currency = Currency,
        ContentAt = ContentAt,
        ContentEventId = ContentEventId,
        Clock = Clock,
        Reviews = [.. Reviews],
        RatingTotals = [.. RatingTotals],
        PositiveReviews = PositiveReviews.Clone(),
        NegativeReviews = NegativeReviews.Clone(),
        Orders = Orders.Clone(),
        Complaints = [.. Complaints],
        BrandReports = [.. BrandReports],
        Rewrites = [.. Rewrites],
        Claims = [.. Claims],
        Brand = Brand,
        CategoryPrices = CategoryPrices,
        FlaggedReviewers = new(FlaggedReviewers, StringComparer.Ordinal),
        Enforcement = Enforcement.Clone(),
        Applied = Applied.Clone(),
        EventsApplied = EventsApplied,
    };
}
