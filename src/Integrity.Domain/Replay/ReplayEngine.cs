using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.State;

namespace Integrity.Domain.Replay;

/// <summary>
/// The single-threaded orchestrator of the domain rules: routes each event to the entities it touches, fetches the
/// context each needs from helper state, and propagates outcomes between entities (reviewer level → listings → seller;
/// co-reviews between reviewers; seller level → linked sellers). The grain layer does the same things in a cluster,
/// one grain per dictionary entry here. Used by the backtest replay (events on their own timestamps, virtual time) and
/// as the reference the cluster tests compare against. Every decision taken is collected in <see cref="Decisions"/>
/// (unless <see cref="CollectDecisions"/> is off) and counted in <see cref="DecisionCount"/>.
/// </summary>
public class ReplayEngine
{
    /// <exception cref="ArgumentException">The policy does not validate; the message lists every problem.</exception>
    public ReplayEngine(PolicyOptions? policy = null)
    {
        Policy = policy ?? PolicyOptions.Default;
        var errors = Policy.Validate();
        if (errors.Count > 0) throw new ArgumentException($"Invalid policy {Policy.Version}: {string.Join(" ", errors)}", nameof(policy));
    }

    public PolicyOptions Policy { get; }

    /// <summary>Keep every decision in <see cref="Decisions"/> (on by default; a long backtest may only need the count).</summary>
    public bool CollectDecisions { get; set; } = true;

    public long DecisionCount { get; private set; }

    /// <summary>Events routed so far (each counted once, whatever the number of entities it touched).</summary>
    public long EventsRouted { get; private set; }

    public Dictionary<string, ListingState> Listings { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ReviewerState> Reviewers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SellerState> Sellers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, BrandProfile> Brands { get; } = new(StringComparer.Ordinal);

    public BrandDirectory BrandDirectory { get; } = new();

    public Dictionary<string, CategoryPriceStats> Categories { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, IdentifierLinks> Links { get; } = new(StringComparer.Ordinal);

    public List<Decision> Decisions { get; } = [];

    public ListingState Listing(string id) => Listings.TryGetValue(id, out var s) ? s : ListingState.Create(id);

    public ReviewerState Reviewer(string id) => Reviewers.TryGetValue(id, out var s) ? s : ReviewerState.Create(id);

    public SellerState Seller(string id) => Sellers.TryGetValue(id, out var s) ? s : SellerState.Create(id);

    public IEnumerable<Decision> DecisionsFor(EntityKind kind, string id) => Decisions.Where(d => d.EntityKind == kind && d.EntityId == id);

    public ReplayEngine ApplyAll(IEnumerable<IntegrityEvent> events)
    {
        foreach (var e in events) Apply(e);
        return this;
    }

    public void Apply(IntegrityEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        EventsRouted++;
        switch (e)
        {
            case BrandRegistered brand:
                var profile = BrandProfile.Apply(Brands.GetValueOrDefault(brand.BrandId) ?? BrandProfile.Create(brand.BrandId), brand);
                Brands[brand.BrandId] = profile;
                BrandDirectory.Register(profile);
                break;
            case SellerRegistered or SellerUpdated:
                ApplySellerIdentity(e);
                break;
            case ListingEvent listing:
                var category = CategoryPriceStats.Observe(Categories.GetValueOrDefault(listing.CategoryId) ?? CategoryPriceStats.Create(listing.CategoryId), listing);
                Categories[listing.CategoryId] = category;
                var brands = BrandDirectory.Candidates(listing.Title, listing.Description).Append(listing.BrandId).OfType<string>()
                    .Distinct().Select(id => Brands.GetValueOrDefault(id)).OfType<BrandProfile>().ToList();
                HandleListing(ListingRules.Apply(Listing(listing.ListingId), e, new ListingContext(brands, category.Snapshot(listing.Currency)), Policy));
                HandleSeller(SellerRules.Apply(Seller(listing.SellerId), e, SellerContext.None, Policy));
                break;
            case ReviewPosted review:
                ApplyReview(review);
                break;
            case OrderEvent order:
                HandleListing(ListingRules.Apply(Listing(order.ListingId), e, OrderContext(Listing(order.ListingId)), Policy));
                HandleSeller(SellerRules.Apply(Seller(order.SellerId), e, SellerContext.None, Policy));
                HandleReviewer(ReviewerRules.Apply(Reviewer(order.BuyerId), e, ReviewerContext.None, Policy));
                break;
            case ComplaintFiled complaint:
                HandleListing(ListingRules.Apply(Listing(complaint.ListingId), e, ListingContext.None, Policy));
                HandleSeller(SellerRules.Apply(Seller(complaint.SellerId), e, SellerContext.None, Policy));
                break;
            case BrandReported report:
                if (report.ListingId is { } listingId) HandleListing(ListingRules.Apply(Listing(listingId), e, ListingContext.None, Policy));
                HandleSeller(SellerRules.Apply(Seller(report.SellerId), e, SellerContext.None, Policy));
                break;
        }
    }

    /// <summary>An analyst action on a seller, with the same propagation as an automatic step.</summary>
    public ApplyResult<SellerState> ActOnSeller(string sellerId, Func<SellerState, ApplyResult<SellerState>> action) => HandleSeller(action(Seller(sellerId)));

    public ApplyResult<ListingState> ActOnListing(string listingId, Func<ListingState, ApplyResult<ListingState>> action) => HandleListing(action(Listing(listingId)));

    public ApplyResult<ReviewerState> ActOnReviewer(string reviewerId, Func<ReviewerState, ApplyResult<ReviewerState>> action) => HandleReviewer(action(Reviewer(reviewerId)));

    /// <summary>An order brings the category's current prices to a listing not yet judged against a category with a history.</summary>
    private ListingContext OrderContext(ListingState listing) =>
        ListingRules.WantsCategoryPrices(listing, Policy) && Categories.TryGetValue(listing.CategoryId, out var category)
            ? new ListingContext(CategoryPrices: category.Snapshot(listing.Currency))
            : ListingContext.None;

    private void ApplyReview(ReviewPosted review)
    {
        // The listing knows the review's neighbours; the reviewer needs them as context.
        var observation = ListingRules.ObserveReview(Listing(review.ListingId), review, Policy);
        var reviewerLevel = Reviewer(review.ReviewerId).Enforcement.Level;
        HandleListing(ListingRules.Apply(Listing(review.ListingId), review, new ListingContext(ReviewerLevel: reviewerLevel), Policy));
        var reviewer = HandleReviewer(ReviewerRules.Apply(Reviewer(review.ReviewerId), review, ReviewerContext.From(observation), Policy));

        // Fan out only for a review seen the first time: a redelivery must not add what the first delivery did not.
        foreach (var other in reviewer.Changed ? observation.CoReviewerIds : [])
        {
            HandleReviewer(ReviewerRules.ObserveCoReview(Reviewer(other), new CoReviewFact(review.ReviewerId, review.ListingId, review.OccurredAt), Policy));
        }

        HandleSeller(SellerRules.Apply(Seller(review.SellerId), review, SellerContext.None, Policy));
    }

    private void ApplySellerIdentity(IntegrityEvent e)
    {
        var (sellerId, identifiers) = e switch
        {
            SellerRegistered r => (r.SellerId, r.Identifiers),
            SellerUpdated u => (u.SellerId, u.Identifiers),
            _ => throw new ArgumentException("Not a seller identity event.", nameof(e)),
        };

        var shared = new Dictionary<string, List<IdentifierKind>>(StringComparer.Ordinal);
        foreach (var id in identifiers.Present())
        {
            var (links, others) = (Links.GetValueOrDefault(id.Key) ?? IdentifierLinks.Create(id)).Link(sellerId);
            Links[id.Key] = links;
            foreach (var other in others)
            {
                if (!shared.TryGetValue(other, out var kinds)) shared[other] = kinds = [];
                kinds.Add(id.Kind);
            }
        }

        var facts = shared.Select(kv => new LinkedSellerFact(kv.Key, Seller(kv.Key).Enforcement.Level, kv.Value, e.OccurredAt)).ToList();
        var result = HandleSeller(SellerRules.Apply(Seller(sellerId), e, new SellerContext(facts), Policy));
        if (!result.Changed) return;
        foreach (var (other, kinds) in shared)
        {
            HandleSeller(SellerRules.ObserveLinkedSeller(Seller(other), new LinkedSellerFact(sellerId, result.State.Enforcement.Level, kinds, e.OccurredAt), Policy));
        }
    }

    private ApplyResult<ListingState> HandleListing(ApplyResult<ListingState> result)
    {
        if (!result.Changed) return result;
        var s = result.State;
        Listings[s.ListingId] = s;
        Collect(result.Decision);
        if (s.SellerId is { } sellerId)
        {
            var fact = new ListingOutcomeFact(s.ListingId, s.Enforcement.Level, s.Enforcement.Score,
                s.Enforcement.Reasons.Where(r => r.Weight > 0).Select(r => r.Code).ToList(), s.Clock ?? default);
            HandleSeller(SellerRules.ObserveListingOutcome(Seller(sellerId), fact, Policy));
        }

        return result;
    }

    private ApplyResult<ReviewerState> HandleReviewer(ApplyResult<ReviewerState> result)
    {
        if (!result.Changed) return result;
        var s = result.State;
        var before = Reviewers.GetValueOrDefault(s.ReviewerId)?.Enforcement.Level ?? 0;
        Reviewers[s.ReviewerId] = s;
        Collect(result.Decision);
        if (s.Enforcement.Level != before)
        {
            var fact = new ReviewerRiskFact(s.ReviewerId, s.Enforcement.Level, s.Enforcement.Score, s.Clock ?? default);
            foreach (var listingId in s.Reviews.Select(r => r.ListingId).Distinct().ToList())
            {
                HandleListing(ListingRules.ObserveReviewerRisk(Listing(listingId), fact, Policy));
            }
        }

        return result;
    }

    private ApplyResult<SellerState> HandleSeller(ApplyResult<SellerState> result)
    {
        if (!result.Changed) return result;
        var s = result.State;
        var before = Sellers.GetValueOrDefault(s.SellerId)?.Enforcement.Level ?? 0;
        Sellers[s.SellerId] = s;
        Collect(result.Decision);
        if (s.Enforcement.Level != before)
        {
            foreach (var id in s.Identifiers)
            {
                foreach (var other in Links.GetValueOrDefault(id.Key)?.SellerIds.Where(o => o != s.SellerId).ToList() ?? [])
                {
                    HandleSeller(SellerRules.ObserveLinkedSeller(Seller(other), new LinkedSellerFact(s.SellerId, s.Enforcement.Level, [id.Kind], s.Clock ?? default), Policy));
                }
            }
        }

        return result;
    }

    private void Collect(Decision? decision)
    {
        if (decision is null) return;
        DecisionCount++;
        if (CollectDecisions) Decisions.Add(decision);
    }
}
