using Integrity.Domain.Events;
using Integrity.Domain.Policy;
using Integrity.Domain.Text;
using Integrity.Harness.Market;
using HarnessKind = Integrity.Harness.Market.EntityKind;

namespace Integrity.LoadTests.Tests;

/// <summary>Each injected pattern has the shape DESIGN.md describes, checked on the events as the engine parses them.</summary>
public sealed class PatternShapeTests(GeneratorFixture fixture) : IClassFixture<GeneratorFixture>
{
    private GroundTruth Truth => fixture.Market.GroundTruth;

    private IReadOnlyList<IntegrityEvent> Events => fixture.Parsed;

    private IEnumerable<IGrouping<string, GroundTruthEntry>> Incidents(string pattern) =>
        Truth.Entries.Where(e => e.Pattern == pattern).GroupBy(e => e.Incident);

    private static IEnumerable<string> Ids(IGrouping<string, GroundTruthEntry> incident, HarnessKind kind, GroundTruthRole role = GroundTruthRole.Culprit) =>
        incident.Where(e => e.Kind == kind && e.Role == role).Select(e => e.Id);

    [Fact]
    public void Every_pattern_is_injected_with_ground_truth()
    {
        Assert.Equal(GeneratorFixture.Options.FraudIncidents, Truth.Entries.Select(e => e.Incident).Distinct().Count());
        Assert.All(FraudPatterns.All, p => Assert.Contains(Truth.Entries, e => e.Pattern == p && e.Role == GroundTruthRole.Culprit));
        Assert.All(Truth.Entries, e => Assert.InRange(e.FirstFraudAt, GeneratorFixture.Options.Start - TimeSpan.FromDays(60), GeneratorFixture.Options.End));
    }

    [Fact]
    public void Paid_review_ring_is_20_new_accounts_5_starring_3_listings_of_one_seller_within_hours_with_refunds_after_reviews()
    {
        foreach (var incident in Incidents(FraudPatterns.PaidReviewRing))
        {
            var reviewers = Ids(incident, HarnessKind.Reviewer).ToHashSet();
            Assert.Equal(20, reviewers.Count);
            var reviews = Events.OfType<ReviewPosted>().Where(r => reviewers.Contains(r.ReviewerId)).ToList();
            Assert.Equal(60, reviews.Count);
            Assert.All(reviews, r => Assert.Equal(5, r.Rating));
            Assert.Single(reviews.Select(r => r.SellerId).Distinct());
            Assert.Equal(Ids(incident, HarnessKind.Listing).Order(), reviews.Select(r => r.ListingId).Distinct().Order());
            Assert.Equal(3, reviews.Select(r => r.ListingId).Distinct().Count());
            Assert.True(reviews.Max(r => r.OccurredAt) - reviews.Min(r => r.OccurredAt) <= TimeSpan.FromHours(6));
            Assert.All(reviews, r => Assert.True(r.OccurredAt - r.AccountCreatedAt!.Value < TimeSpan.FromDays(12)));

            var refundedAfterReview = Events.OfType<OrderRefunded>().Count(o => reviewers.Contains(o.BuyerId)
                && reviews.Any(r => r.OrderId == o.OrderId && r.OccurredAt < o.OccurredAt));
            Assert.InRange(refundedAfterReview, 3, 40);
        }
    }

    [Fact]
    public void Brushing_orders_come_from_a_handful_of_buyers_linked_to_the_sellers_own_identifiers_and_are_mostly_undone()
    {
        foreach (var incident in Incidents(FraudPatterns.Brushing))
        {
            var sellerId = Ids(incident, HarnessKind.Seller).Single();
            var buyers = Ids(incident, HarnessKind.Reviewer).ToHashSet();
            Assert.InRange(buyers.Count, 2, 6);

            var own = Events.OfType<SellerRegistered>().Single(s => s.SellerId == sellerId).Identifiers.Present().Select(i => i.Hash).ToHashSet();
            var orders = Events.OfType<OrderPlaced>().Where(o => buyers.Contains(o.BuyerId)).ToList();
            Assert.True(orders.Count >= 20);
            Assert.All(orders, o => Assert.Equal(sellerId, o.SellerId));
            Assert.All(buyers, b => Assert.Contains(orders, o => o.BuyerId == b && o.BuyerIdentifiers().Any(i => own.Contains(i.Hash))));

            var undone = Events.OfType<OrderEvent>().Where(e => e is OrderRefunded or OrderCancelled && buyers.Contains(e.BuyerId)).Select(e => e.OrderId).Distinct().Count();
            Assert.True(undone >= orders.Count * 0.6, $"{undone} of {orders.Count} undone");
        }
    }

    [Fact]
    public void Linked_store_network_shares_one_bank_account_and_one_store_is_burned_by_counterfeits()
    {
        foreach (var incident in Incidents(FraudPatterns.LinkedStoreNetwork))
        {
            var stores = Ids(incident, HarnessKind.Seller).ToHashSet();
            Assert.Equal(new MarketplaceOptions().NetworkStores, stores.Count);
            // Each store shares its bank account with enough others for the first policy's LINKED_NETWORK rule.
            Assert.True(stores.Count - 1 >= PolicyOptions.Default.Rule(ReasonCodes.LinkedNetwork).Threshold);
            var banks = stores.Select(s => Events.OfType<SellerRegistered>().Where(r => r.SellerId == s).Select(r => r.Identifiers.BankAccount)
                .Concat(Events.OfType<SellerUpdated>().Where(u => u.SellerId == s).Select(u => u.Identifiers.BankAccount)).Last()).ToList();
            Assert.Single(banks.Distinct());

            var burned = Events.OfType<ComplaintFiled>().Where(c => stores.Contains(c.SellerId) && c.Kind == ComplaintKind.Counterfeit).GroupBy(c => c.SellerId).Single();
            Assert.True(burned.Count() >= 8);
            Assert.True(Events.OfType<BrandReported>().Count(r => r.SellerId == burned.Key && r.Kind == BrandReportKind.Counterfeit) >= 3);
        }
    }

    [Fact]
    public void Counterfeit_is_a_brand_keyword_from_an_unauthorized_seller_at_about_a_fifth_of_the_reference_price()
    {
        var brands = Events.OfType<BrandRegistered>().ToList();
        var listings = Events.OfType<ListingCreated>().ToDictionary(l => l.ListingId);
        foreach (var incident in Incidents(FraudPatterns.CounterfeitListing))
        {
            var listing = listings[Ids(incident, HarnessKind.Listing).Single()];
            var brand = brands.Single(b => b.Keywords.Any(k => listing.Title.Contains(k, StringComparison.OrdinalIgnoreCase)));
            Assert.DoesNotContain(listing.SellerId, brand.AuthorizedSellerIds.Concat(brand.OfficialStoreSellerIds));
            Assert.InRange(listing.Price / brand.ReferencePrice!.Value, 0.17m, 0.231m);
            Assert.Contains(Events.OfType<BrandReported>(), r => r.ListingId == listing.ListingId && r.Kind == BrandReportKind.Counterfeit);
        }
    }

    [Fact]
    public void Prohibited_claims_match_the_engine_lexicon_in_english_chinese_and_french()
    {
        var listings = Events.OfType<ListingCreated>().ToDictionary(l => l.ListingId);
        foreach (var incident in Incidents(FraudPatterns.ProhibitedClaims))
        {
            var listing = listings[Ids(incident, HarnessKind.Listing).Single()];
            Assert.Contains(ClaimMatcher.Default.Find(listing.Title, listing.Description), m => m.Category == ClaimCategory.Prohibited);
        }

        var languages = Enumerable.Range(0, 3).SelectMany(i => ClaimMatcher.Default.Find(TextBank.ProhibitedDescription(i))).Select(m => m.Language).Distinct().Order();
        Assert.Equal(["en", "fr", "zh"], languages);
    }

    [Fact]
    public void Price_dumping_is_far_under_the_category_median()
    {
        var listings = Events.OfType<ListingCreated>().ToList();
        foreach (var incident in Incidents(FraudPatterns.PriceDumping))
        {
            var listing = listings.Single(l => l.ListingId == Ids(incident, HarnessKind.Listing).Single());
            var prices = listings.Where(l => l.CategoryId == listing.CategoryId && l.ListingId != listing.ListingId).Select(l => l.Price).Order().ToList();
            Assert.True(prices.Count >= 20, $"{prices.Count} other listings in {listing.CategoryId}: too few for the policy's median (PRICE_DUMPING MinCount 20)");
            Assert.True(listing.Price <= prices[prices.Count / 2] * 0.25m, $"{listing.Price} vs median {prices[prices.Count / 2]}");
        }
    }

    [Fact]
    public void Complaint_spike_is_many_complaints_on_one_listing_within_two_days()
    {
        foreach (var incident in Incidents(FraudPatterns.ComplaintSpike))
        {
            var listingId = Ids(incident, HarnessKind.Listing).Single();
            var first = incident.Min(e => e.FirstFraudAt);
            var complaints = Events.OfType<ComplaintFiled>().Count(c => c.ListingId == listingId && c.OccurredAt >= first && c.OccurredAt <= first + TimeSpan.FromDays(2));
            Assert.True(complaints >= 8, $"{complaints} complaints");
        }
    }

    [Fact]
    public void Defamation_burst_is_unverified_one_star_reviews_on_an_official_store_whose_store_is_protected_not_fraudulent()
    {
        var brands = Events.OfType<BrandRegistered>().ToList();
        foreach (var incident in Incidents(FraudPatterns.DefamationBurst))
        {
            var attackers = Ids(incident, HarnessKind.Reviewer).ToHashSet();
            Assert.Equal(20, attackers.Count);
            var store = Ids(incident, HarnessKind.Seller, GroundTruthRole.Protected).Single();
            Assert.Contains(brands, b => b.OfficialStoreSellerIds.Contains(store));
            Assert.DoesNotContain(new EntityKey(HarnessKind.Seller, store), Truth.Fraudulent());

            var reviews = Events.OfType<ReviewPosted>().Where(r => attackers.Contains(r.ReviewerId)).ToList();
            Assert.All(reviews, r => Assert.True(r.Rating == 1 && !r.IsVerified && r.SellerId == store));
            Assert.True(reviews.Max(r => r.OccurredAt) - reviews.Min(r => r.OccurredAt) <= TimeSpan.FromHours(2));
            Assert.Contains(Events.OfType<BrandReported>(), r => r.SellerId == store && r.Kind == BrandReportKind.Defamation);
        }
    }

    [Fact]
    public void Repeat_offender_offends_three_times_spread_over_the_span()
    {
        foreach (var incident in Incidents(FraudPatterns.RepeatOffender))
        {
            var listings = Ids(incident, HarnessKind.Listing).ToHashSet();
            var created = Events.OfType<ListingCreated>().Where(l => listings.Contains(l.ListingId)).Select(l => l.OccurredAt).Order().ToList();
            Assert.Equal(3, created.Count);
            Assert.True(created[^1] - created[0] >= TimeSpan.FromDays(1));
        }
    }

    [Fact]
    public void Honest_sellers_share_no_identifier_and_honest_buyers_are_never_linked_to_a_seller()
    {
        var fraudulent = Truth.Fraudulent().Where(e => e.Kind == HarnessKind.Seller).Select(e => e.Id).ToHashSet();
        var registrations = Events.OfType<SellerRegistered>().ToList();
        var honest = registrations.Where(r => !fraudulent.Contains(r.SellerId)).ToList();
        Assert.True(honest.Count >= GeneratorFixture.Options.Sellers);

        var owners = new Dictionary<string, string>();
        foreach (var r in honest)
        {
            foreach (var id in r.Identifiers.Present())
            {
                Assert.True(owners.TryAdd(id.Hash, r.SellerId), $"{r.SellerId} shares its {id.Kind} with {owners.GetValueOrDefault(id.Hash)}");
            }
        }

        var sellerHashes = registrations.SelectMany(r => r.Identifiers.Present()).Select(i => i.Hash).ToHashSet();
        var fraudBuyers = Truth.Fraudulent().Where(e => e.Kind == HarnessKind.Reviewer).Select(e => e.Id).ToHashSet();
        var linked = Events.OfType<OrderPlaced>().Where(o => !fraudBuyers.Contains(o.BuyerId) && o.BuyerIdentifiers().Any(i => sellerHashes.Contains(i.Hash))).ToList();
        Assert.Empty(linked);
    }

    [Fact]
    public void Honest_listings_make_no_claims_use_no_foreign_brand_and_are_not_dumped()
    {
        var fraudulent = Truth.Fraudulent().Where(e => e.Kind == HarnessKind.Listing).Select(e => e.Id).ToHashSet();
        var brands = Events.OfType<BrandRegistered>().ToList();
        var medians = TextBankMedians();
        foreach (var l in Events.OfType<ListingEvent>().Where(l => !fraudulent.Contains(l.ListingId)))
        {
            Assert.Empty(ClaimMatcher.Default.Find(l.Title, l.Description));
            Assert.True(l.Price >= medians[l.CategoryId] * 0.45m, $"{l.ListingId} at {l.Price}");
            foreach (var b in brands.Where(b => b.Keywords.Any(k => l.Title.Contains(k, StringComparison.OrdinalIgnoreCase))))
            {
                Assert.Contains(l.SellerId, b.AuthorizedSellerIds.Concat(b.OfficialStoreSellerIds));
            }
        }
    }

    [Fact]
    public void Honest_reviews_have_a_realistic_rating_mix_and_varied_text()
    {
        var fraudReviewers = Truth.Fraudulent().Where(e => e.Kind == HarnessKind.Reviewer).Select(e => e.Id).ToHashSet();
        var reviews = Events.OfType<ReviewPosted>().Where(r => !fraudReviewers.Contains(r.ReviewerId)).ToList();
        Assert.True(reviews.Count > 500);
        Assert.All(reviews, r => Assert.NotNull(r.OrderId));
        var fiveStar = reviews.Count(r => r.Rating == 5) / (double)reviews.Count;
        Assert.InRange(fiveStar, 0.45, 0.65);
        Assert.InRange(reviews.Count(r => r.Rating <= 2) / (double)reviews.Count, 0.05, 0.2);
        var texts = reviews.Where(r => r.Text.Length > 0).Select(r => r.Text).ToList();
        Assert.True(texts.Distinct().Count() > texts.Count * 0.6, $"{texts.Distinct().Count()} distinct of {texts.Count}");
    }

    private static Dictionary<string, decimal> TextBankMedians() =>
        typeof(MarketplaceGenerator).Assembly.GetType("Integrity.Harness.Market.TextBank") is { } t
            && t.GetField("Categories")?.GetValue(null) is Category[] categories
            ? categories.ToDictionary(c => c.Id, c => c.MedianPrice)
            : throw new InvalidOperationException("TextBank.Categories not found");
}
