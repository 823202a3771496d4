namespace Integrity.Harness.Market;

/// <summary>A generated marketplace: its wire events in event-time order, the answer sheet, and the cast.</summary>
public sealed record GeneratedMarketplace(
    MarketplaceOptions Options,
    IReadOnlyList<GeneratedEvent> Events,
    GroundTruth GroundTruth,
    IReadOnlyList<Seller> Sellers,
    IReadOnlyList<Brand> Brands);

/// <summary>
/// Builds a marketplace deterministically from a seed: categories, brands with official stores and authorized
/// sellers, honest sellers and their listings, honest customers and their orders, reviews and complaints, then
/// hands over to <see cref="FraudInjector"/> for the incidents. Same options, same bytes. Evenly active by default;
/// with <see cref="MarketplaceOptions.Skew"/> sellers, their listings and buyers are Zipf-distributed, as on a real marketplace.
/// </summary>
public static class MarketplaceGenerator
{
    public static GeneratedMarketplace Generate(MarketplaceOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));

        var b = new MarketplaceBuilder(options);
        var rng = b.Rng(1);
        var start = options.Start;

        // Customers first: account ages from 30 days to 3 years, so honest reviewers are never brand-new accounts.
        var customerCount = options.CustomerCount;
        for (var i = 0; i < customerCount; i++)
        {
            b.HonestCustomers.Add(b.NewCustomer(start - TimeSpan.FromDays(30 + (rng.NextDouble() * 1065))));
        }

        var honest = new List<Seller>();
        for (var i = 0; i < options.Sellers; i++)
        {
            var seller = b.NewSeller(rng, start - options.WarmUp - TimeSpan.FromDays(2 + (rng.NextDouble() * 88)));
            b.Stream.SellerRegistered(seller.RegisteredAt, seller);
            honest.Add(seller);
        }

        RegisterBrands(b, rng, honest);

        // Skewed: a seller's share of the listings (5 a seller on average) and of the orders follows its Zipf rank.
        var activity = options.Skew > 0 ? new Zipf(honest.Count, options.Skew) : null;
        var listingRng = b.Rng(2);
        for (var rank = 0; rank < honest.Count; rank++)
        {
            var seller = honest[rank];
            var categories = Enumerable.Range(0, listingRng.Next(1, 3)).Select(_ => TextBank.Pick(listingRng, TextBank.Categories)).Distinct().ToArray();
            var count = activity is null ? listingRng.Next(2, 9) : Math.Max(1, (int)Math.Round(honest.Count * 5 * activity.Share(rank)));
            for (var i = 0; i < count; i++)
            {
                var at = seller.RegisteredAt + TimeSpan.FromHours(1 + (listingRng.NextDouble() * 24));
                b.NewHonestListing(listingRng, seller, at, categories[i % categories.Length]);
            }
        }

        if (activity is not null)
        {
            // The market's whole demand (as much as an even market's) shared by seller rank, then by listing rank within the seller.
            var total = honest.Count * 5 * options.OrdersPerListingPerDay;
            for (var rank = 0; rank < honest.Count; rank++)
            {
                var listings = honest[rank].Listings;
                var within = new Zipf(listings.Count, options.Skew);
                for (var j = 0; j < listings.Count; j++)
                {
                    listings[j].OrdersPerDay = total * activity.Share(rank) * within.Share(j);
                }
            }
        }

        var demandRng = b.Rng(3);
        foreach (var listing in honest.SelectMany(s => s.Listings).ToList())
        {
            b.HonestDemand(demandRng, listing, start - options.WarmUp, listing.OrdersPerDay);

            // A few honest repricings: same title and category, a modest change, never into dumping territory.
            if (demandRng.NextDouble() < 0.05)
            {
                listing.Price = decimal.Round(listing.Price * (decimal)(0.9 + (demandRng.NextDouble() * 0.2)), 2);
                b.Stream.ListingUpdated(start + TimeSpan.FromHours(demandRng.NextDouble() * options.Span.TotalHours), listing);
            }
        }

        NewListings(b, b.Rng(4), honest, activity);
        FraudInjector.Inject(b, honest);

        var events = b.Stream.Seal();
        return new GeneratedMarketplace(options, events, new GroundTruth(options.Seed, b.Truth), b.Sellers, b.Brands);
    }

    /// <summary>
    /// Listings that keep arriving from the warm-up to the end of the span (a Poisson process), each by a seller drawn by activity, with honest
    /// demand from then on. A share of them make prohibited claims: the listing a culprit, its seller involved.
    /// </summary>
    private static void NewListings(MarketplaceBuilder b, Random rng, List<Seller> honest, Zipf? activity)
    {
        var options = b.Options;
        if (options.NewListingsPerDay <= 0) return;
        var t = options.Start - options.WarmUp;
        var claims = 0;
        while (true)
        {
            t += TimeSpan.FromDays(-Math.Log(1 - rng.NextDouble()) / options.NewListingsPerDay);
            if (t >= options.End) return;
            var seller = honest[activity?.Sample(rng) ?? rng.Next(honest.Count)];
            if (rng.NextDouble() >= options.ClaimShare)
            {
                var listing = b.NewHonestListing(rng, seller, t, seller.Listings.Count > 0 ? seller.Listings[rng.Next(seller.Listings.Count)].Category : TextBank.Pick(rng, TextBank.Categories));
                b.HonestDemand(rng, listing, listing.CreatedAt, listing.OrdersPerDay);
                continue;
            }

            var category = b.Category(rng.NextDouble() < 0.7 ? "health" : "beauty");
            var noun = TextBank.Pick(rng, category.Nouns);
            var claim = b.NewListing(seller, t, category, $"Natural {noun}", TextBank.ProhibitedDescription(claims), category.MedianPrice * 1.2m, noun);
            var incident = $"{FraudPatterns.ProhibitedClaims}#new{++claims}";
            b.Culprit(incident, FraudPatterns.ProhibitedClaims, EntityKind.Listing, claim.Id, claim.CreatedAt);
            b.Involved(incident, FraudPatterns.ProhibitedClaims, EntityKind.Seller, seller.Id, claim.CreatedAt);
        }
    }

    /// <summary>Each brand: one official store and one or two authorized resellers among the honest sellers, each with genuine branded listings.</summary>
    private static void RegisterBrands(MarketplaceBuilder b, Random rng, List<Seller> honest)
    {
        var start = b.Options.Start;
        var pool = honest.OrderBy(_ => rng.Next()).ToList();
        var next = 0;
        for (var i = 0; i < TextBank.Brands.Length && next + 2 < pool.Count; i++)
        {
            var (name, categoryId) = TextBank.Brands[i];
            var category = b.Category(categoryId);
            var reference = decimal.Round(category.MedianPrice * (decimal)(2.5 + (rng.NextDouble() * 1.5)), 2);
            var brand = new Brand(b.Id("B", $"{i + 1:D3}"), name, [name.ToLowerInvariant(), $"{name.ToLowerInvariant()} original"], categoryId, reference);
            brand.OfficialStoreSellerIds.Add(pool[next++].Id);
            var resellers = rng.Next(1, 3);
            for (var r = 0; r < resellers && next < pool.Count; r++)
            {
                brand.AuthorizedSellerIds.Add(pool[next++].Id);
            }

            b.Brands.Add(brand);
            b.Stream.BrandRegistered(start - TimeSpan.FromDays(120), brand);

            foreach (var sellerId in brand.OfficialStoreSellerIds.Concat(brand.AuthorizedSellerIds))
            {
                var seller = honest.First(s => s.Id == sellerId);
                var count = rng.Next(1, 4);
                for (var k = 0; k < count; k++)
                {
                    var noun = TextBank.Pick(rng, category.Nouns);
                    var price = reference * (decimal)(0.85 + (rng.NextDouble() * 0.25));
                    var listing = b.NewListing(seller, seller.RegisteredAt + TimeSpan.FromHours(2 + k), category, $"{name} {noun} {TextBank.Pick(rng, TextBank.Adjectives)}",
                        $"Genuine {name} {noun}; {TextBank.Pick(rng, TextBank.Features)}.", price, noun, brand.Id);
                    listing.OrdersPerDay = b.Options.OrdersPerListingPerDay * 0.8;
                }
            }
        }
    }
}
