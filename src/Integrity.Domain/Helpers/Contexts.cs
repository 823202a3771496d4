using Integrity.Domain.Events;

namespace Integrity.Domain.Helpers;

/// <summary>
/// Facts the grain layer fetched for a listing event. Null means "not fetched this time": the listing keeps what it
/// learned before. <paramref name="Brands"/>: the declared brand and any brand whose keyword the listing uses
/// (<see cref="BrandDirectory.Candidates"/>). A reviewer's level is not context: the listing weighs a review with the
/// level the reviewer told it (<see cref="ReviewerRiskFact"/>).
/// </summary>
public sealed record ListingContext(IReadOnlyList<BrandProfile>? Brands = null, CategoryPriceSnapshot? CategoryPrices = null)
{
    public static ListingContext None { get; } = new();
}

/// <summary>
/// Facts for a reviewer's review, taken from the listing (<see cref="ReviewObservation"/>): other accounts that
/// reviewed the same listing close in time, those whose review text this one near-duplicates, and the listing's
/// average rating over the <paramref name="ListingRatingCount"/> ratings it had before this review (null: none).
/// </summary>
public sealed record ReviewerContext(
    IReadOnlyList<string>? CoReviewerIds = null,
    IReadOnlyList<string>? DuplicateTextReviewerIds = null,
    double? ListingMeanRating = null,
    int ListingRatingCount = 0)
{
    public static ReviewerContext None { get; } = new();

    /// <summary>Everything the listing observed about the review, as the reviewer's context.</summary>
    public static ReviewerContext From(ReviewObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        return new(observation.CoReviewerIds, observation.DuplicateTextReviewerIds, observation.ListingMeanRating, observation.ListingRatingCount);
    }
}

/// <summary>Facts for a seller event: the sellers sharing its identifiers (from identifier-link grains) and their steps.</summary>
public sealed record SellerContext(IReadOnlyList<LinkedSellerFact>? LinkedSellers = null)
{
    public static SellerContext None { get; } = new();
}

/// <summary>Another seller sharing identifiers, and its ladder level now.</summary>
public sealed record LinkedSellerFact(string SellerId, int Level, IReadOnlyList<IdentifierKind> SharedKinds, DateTimeOffset At);

/// <summary>A listing's outcome, reported to its seller after the listing was assessed.</summary>
public sealed record ListingOutcomeFact(string ListingId, int Level, double Score, IReadOnlyList<string> ReasonCodes, DateTimeOffset At);

/// <summary>A reviewer's ladder level, reported to the listings it reviewed after it changed.</summary>
public sealed record ReviewerRiskFact(string ReviewerId, int Level, double Score, DateTimeOffset At);

/// <summary>Another account reviewed <paramref name="ListingId"/> close in time to this reviewer (sent to the earlier reviewer).</summary>
public sealed record CoReviewFact(string OtherReviewerId, string ListingId, DateTimeOffset At);

/// <summary>
/// What a listing saw about a new review, for the reviewer's context and co-review fan-out: the neighbours, and the
/// listing's average rating over the ratings it had before the review (null when it had none).
/// </summary>
public sealed record ReviewObservation(
    string ReviewerId,
    IReadOnlyList<string> CoReviewerIds,
    IReadOnlyList<string> DuplicateTextReviewerIds,
    double? ListingMeanRating = null,
    int ListingRatingCount = 0);
