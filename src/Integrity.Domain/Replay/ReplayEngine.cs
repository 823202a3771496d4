using Integrity.Domain.Coverage;
using Integrity.Domain.Enforcement;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Propagation;
using Integrity.Domain.Rules;
using Integrity.Domain.State;

namespace Integrity.Domain.Replay;

/// <summary>
/// The single-threaded orchestrator of the domain rules: routes each event to the entities it touches, fetches the
/// context each needs from helper state, and delivers the facts <see cref="FactRouting"/> says an outcome sends
/// (reviewer level → listings → seller; co-reviews between reviewers; seller level → linked sellers), each fact's own
/// consequences before the next. The grain layer does the same things in a cluster, one grain per dictionary entry
/// here. Used by the backtest replay (events on their own timestamps, virtual time) and as the reference the cluster
/// tests compare against. Every decision taken is collected in <see cref="Decisions"/> (unless
/// <see cref="CollectDecisions"/> is off) and counted in <see cref="DecisionCount"/>.
/// <para>
/// The engine owns the states in its dictionaries and applies to them in place (no copy per event): a state read from
/// it is the live one and changes with later events. An exception from a rule leaves that entity part-way changed;
/// the engine is then not to be used further.
/// </para>
/// </summary>
public class ReplayEngine
{
    /// <exception cref="ArgumentException">The policy does not validate; the message lists every problem.</exception>
    /// <param name="coverage">What the platform sends; by default observed from the events, as the engine does live.</param>
    public ReplayEngine(PolicyOptions? policy = null, EvidenceCoverage? coverage = null)
    {
        Policy = policy ?? PolicyOptions.Default;
        var errors = Policy.Validate();
        if (errors.Count > 0) throw new ArgumentException($"Invalid policy {Policy.Version}: {string.Join(" ", errors)}", nameof(policy));
        Coverage = coverage ?? new EvidenceCoverage();
        _active = Coverage.Gate(Policy);
    }

    public PolicyOptions Policy { get; }

    /// <summary>What this stream has sent so far: each event is counted before it is applied, and signals whose evidence is missing do not count.</summary>
    public EvidenceCoverage Coverage { get; }

    /// <summary><see cref="Policy"/> as it applies to what has been sent so far.</summary>
    private PolicyOptions _active;


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

    /// <summary>Fact lists for <see cref="Deliver"/>, one per level of nesting, reused.</summary>
    private readonly Stack<List<Delivery>> _pool = new();

    public ListingState Listing(string id) => Listings.TryGetValue(id, out var s) ? s : ListingState.Create(id);

    public ReviewerState Reviewer(string id) => Reviewers.TryGetValue(id, out var s) ? s : ReviewerState.Create(id);

    public SellerState Seller(string id) => Sellers.TryGetValue(id, out var s) ? s : SellerState.Create(id);

    public IEnumerable<Decision> DecisionsFor(EntityKind kind, string id) => Decisions.Where(d => d.EntityKind == kind && d.EntityId == id);

    public ReplayEngine ApplyAll(IEnumerable<IntegrityEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events) Apply(e);
        return this;
    }

    public void Apply(IntegrityEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        EventsRouted++;
        if (Coverage.Observe(e)) _active = Coverage.Gate(Policy);
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
                var category = CategoryPriceStats.Observe(Categories.GetValueOrDefault(listing.CategoryId) ?? CategoryPriceStats.Create(listing.CategoryId), listing, owned: true);
                Categories[listing.CategoryId] = category;
                var brands = BrandDirectory.Candidates(listing.Title, listing.Description).Append(listing.BrandId).OfType<string>()
                    .Distinct().Select(id => Brands.GetValueOrDefault(id)).OfType<BrandProfile>().ToList();
                ApplyToListing(listing.ListingId, e, new ListingContext(brands, category.Snapshot(listing.Currency)));
                ApplyToSeller(listing.SellerId, e, SellerContext.None);
                break;
            case ReviewPosted review:
                ApplyReview(review);
                break;
            case OrderEvent order:
                ApplyToListing(order.ListingId, e, OrderContext(Listing(order.ListingId)));
                ApplyToSeller(order.SellerId, e, SellerContext.None);
                var buyer = Reviewer(order.BuyerId);
                var buyerBefore = buyer.Enforcement.Level;
                HandleReviewer(ReviewerRules.Apply(buyer, e, ReviewerContext.None, _active, owned: true), buyerBefore, isEvent: true);
                break;
            case ComplaintFiled complaint:
                ApplyToListing(complaint.ListingId, e, ListingContext.None);
                ApplyToSeller(complaint.SellerId, e, SellerContext.None);
                break;
            case BrandReported report:
                if (report.ListingId is { } listingId) ApplyToListing(listingId, e, ListingContext.None);
                ApplyToSeller(report.SellerId, e, SellerContext.None);
                break;
        }
    }

    /// <summary>An analyst action on a seller, with the same propagation as an automatic step.</summary>
    public ApplyResult<SellerState> ActOnSeller(string sellerId, Func<SellerState, ApplyResult<SellerState>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var seller = Seller(sellerId);
        var before = seller.Enforcement.Level;
        return HandleSeller(action(seller), before, isEvent: false);
    }

    public ApplyResult<ListingState> ActOnListing(string listingId, Func<ListingState, ApplyResult<ListingState>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return HandleListing(action(Listing(listingId)), isEvent: false);
    }

    public ApplyResult<ReviewerState> ActOnReviewer(string reviewerId, Func<ReviewerState, ApplyResult<ReviewerState>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var reviewer = Reviewer(reviewerId);
        var before = reviewer.Enforcement.Level;
        return HandleReviewer(action(reviewer), before, isEvent: false);
    }

    /// <summary>An order brings the category's current prices to a listing not yet judged against a category with a history.</summary>
    private ListingContext OrderContext(ListingState listing) =>
        ListingRules.WantsCategoryPrices(listing, _active) && Categories.TryGetValue(listing.CategoryId, out var category)
            ? new ListingContext(CategoryPrices: category.Snapshot(listing.Currency))
            : ListingContext.None;

    private void ApplyToListing(string listingId, IntegrityEvent e, ListingContext context) =>
        HandleListing(ListingRules.Apply(Listing(listingId), e, context, _active, owned: true), isEvent: true);

    private void ApplyToSeller(string sellerId, IntegrityEvent e, SellerContext context)
    {
        var seller = Seller(sellerId);
        var before = seller.Enforcement.Level;
        HandleSeller(SellerRules.Apply(seller, e, context, _active, owned: true), before, isEvent: true);
    }

    private void ApplyReview(ReviewPosted review)
    {
        // The listing knows the review's neighbours; the reviewer needs them as context. The listing weighs the review
        // with the reviewer level it was told (as a listing grain, which does not ask the reviewer).
        var observation = ListingRules.ObserveReview(Listing(review.ListingId), review, _active);
        var reviewer = Reviewer(review.ReviewerId);
        var reviewerBefore = reviewer.Enforcement.Level;
        ApplyToListing(review.ListingId, review, ListingContext.None);
        HandleReviewer(ReviewerRules.Apply(reviewer, review, ReviewerContext.From(observation), _active, owned: true), reviewerBefore, isEvent: true, review);

        var facts = Rent();
        FactRouting.AfterReview(review, observation.CoReviewerIds, facts);
        Deliver(facts);

        ApplyToSeller(review.SellerId, review, SellerContext.None);
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
            var links = Links.GetValueOrDefault(id.Key) ?? IdentifierLinks.Create(id);
            var (linked, others) = links.Link(sellerId);
            Links[id.Key] = linked;
            foreach (var other in others)
            {
                if (!shared.TryGetValue(other, out var kinds)) shared[other] = kinds = [];
                kinds.Add(id.Kind);
            }
        }

        var known = shared.Select(kv => new LinkedSellerFact(kv.Key, Seller(kv.Key).Enforcement.Level, kv.Value, e.OccurredAt)).ToList();
        var seller = Seller(sellerId);
        var before = seller.Enforcement.Level;
        var result = HandleSeller(SellerRules.Apply(seller, e, new SellerContext(known), _active, owned: true), before, isEvent: true);
        if (!FactRouting.Routes(result.Status, isEvent: true)) return;
        var facts = Rent();
        FactRouting.AfterIdentity(sellerId, result.State.Enforcement.Level, shared, e.OccurredAt, facts);
        Deliver(facts);
    }

    private ApplyResult<ListingState> HandleListing(ApplyResult<ListingState> result, bool isEvent)
    {
        var s = result.State;
        if (result.Changed)
        {
            Listings[s.ListingId] = s;
            Collect(result.Decision);
        }

        if (!FactRouting.Routes(result.Status, isEvent)) return result;
        var facts = Rent();
        FactRouting.AfterListing(s, facts);
        Deliver(facts);
        return result;
    }

    /// <param name="review">The review the reviewer took, when the item was one.</param>
    private ApplyResult<ReviewerState> HandleReviewer(ApplyResult<ReviewerState> result, int levelBefore, bool isEvent, ReviewPosted? review = null)
    {
        var s = result.State;
        if (result.Changed)
        {
            Reviewers[s.ReviewerId] = s;
            Collect(result.Decision);
        }

        if (!FactRouting.Routes(result.Status, isEvent)) return result;
        var facts = Rent();
        FactRouting.AfterReviewer(s, levelBefore, review, facts);
        Deliver(facts);
        return result;
    }

    private ApplyResult<SellerState> HandleSeller(ApplyResult<SellerState> result, int levelBefore, bool isEvent)
    {
        var s = result.State;
        if (result.Changed)
        {
            Sellers[s.SellerId] = s;
            Collect(result.Decision);
        }

        if (!FactRouting.Routes(result.Status, isEvent)) return result;
        var facts = Rent();
        FactRouting.AfterSeller(s, levelBefore, SellersSharing, facts);
        Deliver(facts);
        return result;
    }

    private IReadOnlyList<string> SellersSharing(IdentifierHash identifier) => Links.TryGetValue(identifier.Key, out var links) ? links.SellerIds : [];

    /// <summary>Delivers each fact in order, its consequences before the next fact, and returns the list to the pool.</summary>
    private void Deliver(List<Delivery> facts)
    {
        foreach (var fact in facts)
        {
            switch (fact)
            {
                case { ListingOutcome: { } outcome }:
                    var seller = Seller(fact.TargetId);
                    var sellerBefore = seller.Enforcement.Level;
                    HandleSeller(SellerRules.ObserveListingOutcome(seller, outcome, _active, owned: true), sellerBefore, isEvent: false);
                    break;
                case { LinkedSeller: { } linked }:
                    var other = Seller(fact.TargetId);
                    var otherBefore = other.Enforcement.Level;
                    HandleSeller(SellerRules.ObserveLinkedSeller(other, linked, _active, owned: true), otherBefore, isEvent: false);
                    break;
                case { ReviewerRisk: { } risk }:
                    HandleListing(ListingRules.ObserveReviewerRisk(Listing(fact.TargetId), risk, _active, owned: true), isEvent: false);
                    break;
                case { CoReview: { } co }:
                    var reviewer = Reviewer(fact.TargetId);
                    var reviewerBefore = reviewer.Enforcement.Level;
                    HandleReviewer(ReviewerRules.ObserveCoReview(reviewer, co, _active, owned: true), reviewerBefore, isEvent: false);
                    break;
            }
        }

        facts.Clear();
        _pool.Push(facts);
    }

    private List<Delivery> Rent() => _pool.TryPop(out var list) ? list : [];

    private void Collect(Decision? decision)
    {
        if (decision is null) return;
        DecisionCount++;
        if (CollectDecisions) Decisions.Add(decision);
    }
}
