namespace Integrity.LoadTests.Marketplace;

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
/// hands over to <see cref="FraudInjector"/> for the incidents. Same options, same bytes.
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
        var customerCount = Math.Max(100, options.Sellers * 15);
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

        var listingRng = b.Rng(2);
        foreach (var seller in honest)
        {
            var categories = Enumerable.Range(0, listingRng.Next(1, 3)).Select(_ => TextBank.Pick(listingRng, TextBank.Categories)).Distinct().ToArray();
            var count = listingRng.Next(2, 9);
            for (var i = 0; i < count; i++)
            {
                var at = seller.RegisteredAt + TimeSpan.FromHours(1 + (listingRng.NextDouble() * 24));
                b.NewHonestListing(listingRng, seller, at, categories[i % categories.Length]);
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

        FraudInjector.Inject(b, honest);

        var events = b.Stream.Seal();
        return new GeneratedMarketplace(options, events, new GroundTruth(options.Seed, b.Truth), b.Sellers, b.Brands);
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
            var brand = new Brand($"B-{i + 1:D3}", name, [name.ToLowerInvariant(), $"{name.ToLowerInvariant()} original"], categoryId, reference);
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
