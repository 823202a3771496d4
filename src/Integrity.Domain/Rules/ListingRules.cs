using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Signals.Listing;
using Integrity.Domain.State;
using Integrity.Domain.Text;

namespace Integrity.Domain.Rules;

/// <summary>Pure functions the listing grain calls. None mutates its input state, unless told the caller owns it.</summary>
public static class ListingRules
{
    /// <param name="owned">The caller owns <paramref name="state"/>: it is changed in place (see <see cref="EntityRunner.Apply{T}"/>).</param>
    public static ApplyResult<ListingState> Apply(ListingState state, IntegrityEvent e, ListingContext context, PolicyOptions policy, bool owned = false) =>
        EntityRunner.Apply(state, e, policy, next => Record(next, e, context, policy), Evaluate, owned);

    /// <summary>A reviewer of this listing changed level: re-weigh the listing's reviews. Unchanged if nothing new.</summary>
    /// <param name="owned">The caller owns <paramref name="state"/>: it is changed in place (see <see cref="EntityRunner.Apply{T}"/>).</param>
    public static ApplyResult<ListingState> ObserveReviewerRisk(ListingState state, ReviewerRiskFact fact, PolicyOptions policy, bool owned = false) =>
        EntityRunner.Observe(state, fact.At, TriggeringId.Deferred(fact, ReviewerRiskId), policy, next =>
        {
            var known = next.FlaggedReviewers.GetValueOrDefault(fact.ReviewerId);
            if (known == fact.Level || !next.Reviews.Any(r => r.ReviewerId == fact.ReviewerId)) return false;
            SetReviewerLevel(next, fact.ReviewerId, fact.Level);
            return true;
        }, Evaluate, owned);

    /// <summary>The triggering id of a <see cref="ReviewerRiskFact"/>, written only for a decision (<see cref="TriggeringId"/>).</summary>
    private static string ReviewerRiskId(object source)
    {
        var fact = (ReviewerRiskFact)source;
        return $"reviewer-risk/{fact.ReviewerId}/{fact.Level}";
    }

    /// <summary>Re-evaluates at <paramref name="now"/> without new facts (policy reload, override expiry).</summary>
    /// <summary>The candidate policy's would-be decision on the facts the state holds, on its own ladder (see <see cref="EntityRunner.Shadow{T}"/>).</summary>
    public static Decision? Shadow(ListingState state, ShadowLadder shadow, string triggeringId, DateTimeOffset now, PolicyOptions candidate) =>
        EntityRunner.Shadow(state, shadow.Enforcement, triggeringId, now, candidate, Evaluate);

    public static ApplyResult<ListingState> Reassess(ListingState state, DateTimeOffset now, PolicyOptions policy) =>
        EntityRunner.Observe(state, now, $"reassess/{now:yyyyMMddTHHmmssfff}", policy, _ => true, Evaluate);

    /// <summary>
    /// What the listing knows about a review's neighbours, for the reviewer's context: accounts that reviewed this
    /// listing within the lockstep window, accounts whose text the review near-duplicates, and the listing's average
    /// rating before the review. Call with the state before or after applying the review; the review itself is excluded.
    /// </summary>
    public static ReviewObservation ObserveReview(ListingState state, ReviewPosted review, PolicyOptions policy)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(review);
        ArgumentNullException.ThrowIfNull(policy);
        var reviews = state.Reviews;

        // Reviews are kept in time order: only those within the window either side are visited.
        var window = policy.Rule(ReasonCodes.Lockstep).Window;
        List<string>? co = null;
        for (var i = TimeWindows.FirstAtOrAfter(reviews, review.OccurredAt - window); i < reviews.Count && reviews[i].At - review.OccurredAt <= window; i++)
        {
            var other = reviews[i].ReviewerId;
            if (other != review.ReviewerId && !(co ??= []).Contains(other)) co.Add(other);
        }

        List<string>? dups = null;
        var (hash, length) = ReviewText.Of(review);
        var (minLength, maxDistance) = (policy.Text.NearDuplicateMinLength, policy.Text.NearDuplicateMaxDistance);
        if (length >= minLength)
        {
            foreach (var r in reviews)
            {
                if (r.ReviewerId != review.ReviewerId && r.TextLength >= minLength && SimHash.Distance(r.TextHash, hash) <= maxDistance && !(dups ??= []).Contains(r.ReviewerId)) dups.Add(r.ReviewerId);
            }
        }

        // The average over the ratings the listing had before this review (without it, when it was applied already).
        var totals = state.RatingTotals;
        var own = review.Rating is >= 1 and <= 5 && state.Applied.Check(review.EventId, review.OccurredAt) == ApplyStatus.Duplicate ? review.Rating - 1 : -1;
        var (count, sum) = (0, 0.0);
        for (var i = 0; i < totals.Length; i++)
        {
            var n = i == own ? Math.Max(0, totals[i] - 1) : totals[i];
            count += n;
            sum += (double)n * (i + 1);
        }

        double? mean = count == 0 ? null : sum / count;
        return new ReviewObservation(review.ReviewerId, co ?? [], dups ?? [], mean, count);
    }

    /// <summary>
    /// True when the listing has a price but has not yet been compared with a category that had enough prices to judge
    /// it (none, or fewer than the price-dumping rule's MinCount): the caller then passes the category's current prices
    /// with the listing's next order, so a listing that arrived while its category was young (or before the category's
    /// other listings were observed) is judged once the category has a history, not never.
    /// </summary>
    public static bool WantsCategoryPrices(ListingState s, PolicyOptions policy)
    {
        var rule = policy.Rule(ReasonCodes.PriceDumping);
        return rule.Enabled && s.Price is not null && s.CategoryId.Length > 0 && (s.CategoryPrices is null || s.CategoryPrices.Count < rule.MinCount);
    }

    private static Evaluation Evaluate(ListingState s, DateTimeOffset now, PolicyOptions policy) => new(ListingSignals.Evaluate(s, now, policy));

    private static void Record(ListingState s, IntegrityEvent e, ListingContext context, PolicyOptions policy)
    {
        switch (e)
        {
            case ListingEvent listing:
                RecordContent(s, listing);
                break;
            case ReviewPosted review:
                RecordReview(s, review, policy);
                break;
            case OrderPlaced order:
                s.SellerId ??= order.SellerId;
                s.Orders.Add(order.OccurredAt);
                break;
            case ComplaintFiled complaint:
                BoundedLists.InsertByTime(s.Complaints, new ListingComplaint(complaint.EventId, complaint.Kind, complaint.OccurredAt), c => c.At, ListingState.MaxComplaints);
                break;
            case BrandReported report:
                BoundedLists.InsertByTime(s.BrandReports, new ListingBrandReport(report.EventId, report.Kind, report.BrandId, report.OccurredAt), r => r.At, ListingState.MaxBrandReports);
                break;
        }

        if (context.CategoryPrices is { } prices && prices.Currency == s.Currency) s.CategoryPrices = prices;
        if (context.Brands is { } brands && s.SellerId is not null) s.Brand = CheckBrands(s, brands);
    }

    /// <summary>Listing events carry the whole content; an older one arriving late is recorded (for dedupe) but does not overwrite newer content.</summary>
    private static void RecordContent(ListingState s, ListingEvent e)
    {
        if (s.ContentAt is { } current && e.OccurredAt < current) return;

        if (s.ContentAt is not null && (s.Title != e.Title || s.CategoryId != e.CategoryId))
        {
            var reviewsBefore = s.Reviews.Count(r => r.At < e.OccurredAt);
            var rewrite = new ListingRewrite(e.EventId, e.OccurredAt, s.Title, e.Title, s.CategoryId, e.CategoryId, reviewsBefore, BaitAndSwitchSignal.TitleOverlap(s.Title, e.Title));
            BoundedLists.InsertByTime(s.Rewrites, rewrite, r => r.At, ListingState.MaxRewrites);
        }

        var contentChanged = s.Title != e.Title || s.Description != e.Description;
        (s.SellerId, s.Title, s.Description, s.BrandId, s.CategoryId, s.Price, s.Currency) =
            (e.SellerId, e.Title, e.Description, e.BrandId, e.CategoryId, e.Price, e.Currency);
        (s.ContentAt, s.ContentEventId) = (e.OccurredAt, e.EventId);
        if (contentChanged) s.Claims = [.. ClaimMatcher.Default.Find(e.Title, e.Description)];
        if (s.CategoryPrices is { } prices && (prices.CategoryId != e.CategoryId || prices.Currency != e.Currency)) s.CategoryPrices = null;
    }

    private static void RecordReview(ListingState s, ReviewPosted e, PolicyOptions policy)
    {
        s.SellerId ??= e.SellerId;
        var (hash, length) = ReviewText.Of(e);
        var review = new ListingReview(e.EventId, e.ReviewId, e.ReviewerId, e.Rating, e.OccurredAt, e.IsVerified, hash, length);

        // Mark near-duplicates once, when the second copy arrives (both copies), so the signal stays linear.
        if (review.TextLength >= policy.Text.NearDuplicateMinLength)
        {
            for (var i = 0; i < s.Reviews.Count; i++)
            {
                var other = s.Reviews[i];
                if (other.ReviewerId == review.ReviewerId || other.TextLength < policy.Text.NearDuplicateMinLength
                    || SimHash.Distance(other.TextHash, review.TextHash) > policy.Text.NearDuplicateMaxDistance) continue;
                review = review with { Duplicated = true };
                if (!other.Duplicated) s.Reviews[i] = other with { Duplicated = true };
            }
        }

        // Forget the levels of reviewers whose last review here ages out of the bounded list. Only a dropped review can
        // take a flagged reviewer's last one (a flagged reviewer always has one in the list otherwise).
        List<string>? dropped = null;
        BoundedLists.InsertByTime(s.Reviews, review, r => r.At, ListingState.MaxReviews,
            s.FlaggedReviewers.Count == 0 ? null : gone => (dropped ??= []).Add(gone.ReviewerId));
        s.RatingTotals[e.Rating - 1]++;
        if (review.IsPositive) s.PositiveReviews.Add(e.OccurredAt);
        if (review.IsNegative) s.NegativeReviews.Add(e.OccurredAt);

        foreach (var gone in dropped ?? [])
        {
            if (s.FlaggedReviewers.ContainsKey(gone) && !s.Reviews.Exists(r => r.ReviewerId == gone)) s.FlaggedReviewers.Remove(gone);
        }
    }

    private static void SetReviewerLevel(ListingState s, string reviewerId, int level)
    {
        if (level > 0) s.FlaggedReviewers[reviewerId] = level;
        else s.FlaggedReviewers.Remove(reviewerId);
    }

    /// <summary>The most telling brand check among the candidates: an unauthorized use beats an authorized one.</summary>
    private static BrandCheck? CheckBrands(ListingState s, IReadOnlyList<BrandProfile> brands)
    {
        BrandCheck? best = null;
        foreach (var brand in brands)
        {
            var keyword = brand.FindKeyword(s.Title, s.Description);
            if (keyword is null && s.BrandId != brand.BrandId) continue;
            var check = new BrandCheck(brand.BrandId, brand.Name, keyword, brand.MaySell(s.SellerId!), brand.ReferencePriceFor(s.CategoryId, s.Currency), brand.Currency);
            if (best is null || (best.Authorized && !check.Authorized)) best = check;
        }

        return best;
    }
}
