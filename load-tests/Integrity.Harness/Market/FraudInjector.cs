namespace Integrity.Harness.Market;

/// <summary>
/// Injects the fraud incidents, patterns taken in turn so any positive rate covers every pattern. Each incident
/// starts between 10% and 70% into the span (a baseline before it, time to detect after it) and records every
/// entity it involves as ground truth with the time of the first event that carried the fraud.
/// </summary>
internal static class FraudInjector
{
    /// <summary>Listings a category has before a price-dumping incident, when the marketplace has such a category.</summary>
    public const int PriceHistory = 30;

    /// <summary>Every incident's events fall within this time of its start, so the whole incident is in the stream.</summary>
    public static readonly TimeSpan IncidentLength = TimeSpan.FromDays(4);

    public static void Inject(MarketplaceBuilder b, IReadOnlyList<Seller> honest)
    {
        var incidents = b.Options.FraudIncidents;
        for (var i = 0; i < incidents; i++)
        {
            var pattern = FraudPatterns.All[i % FraudPatterns.All.Count];
            var rng = b.Rng(1000 + i);
            var incident = $"{pattern}#{(i / FraudPatterns.All.Count) + 1}";
            var t0 = b.Options.Start + (b.Options.Span * (0.1 + (rng.NextDouble() * 0.6)));
            if (t0 + IncidentLength > b.Options.End) t0 = b.Options.End - IncidentLength;
            switch (pattern)
            {
                case FraudPatterns.PaidReviewRing: PaidReviewRing(b, rng, incident, t0); break;
                case FraudPatterns.Brushing: Brushing(b, rng, incident, t0); break;
                case FraudPatterns.LinkedStoreNetwork: LinkedStoreNetwork(b, rng, incident, t0); break;
                case FraudPatterns.CounterfeitListing: CounterfeitListing(b, rng, incident, t0); break;
                case FraudPatterns.ProhibitedClaims: ProhibitedClaims(b, rng, incident, t0, i / FraudPatterns.All.Count); break;
                case FraudPatterns.PriceDumping: PriceDumping(b, rng, incident, t0); break;
                case FraudPatterns.ComplaintSpike: ComplaintSpike(b, rng, incident, t0); break;
                case FraudPatterns.DefamationBurst: DefamationBurst(b, rng, incident, t0, honest); break;
                case FraudPatterns.RepeatOffender: RepeatOffender(b, rng, incident, i / FraudPatterns.All.Count); break;
                default: throw new InvalidOperationException($"No injector for pattern {pattern}.");
            }
        }
    }

    /// <summary>A seller that looks ordinary: registered weeks ago, a couple of listings with honest demand.</summary>
    private static Seller OrdinarySeller(MarketplaceBuilder b, Random rng, int listings, DateTimeOffset? registeredAt = null)
    {
        var seller = b.NewSeller(rng, registeredAt ?? b.Options.Start - b.Options.WarmUp - TimeSpan.FromDays(5 + (rng.NextDouble() * 60)));
        b.Stream.SellerRegistered(seller.RegisteredAt, seller);
        var category = TextBank.Pick(rng, TextBank.Categories);
        for (var i = 0; i < listings; i++)
        {
            var listing = b.NewHonestListing(rng, seller, seller.RegisteredAt + TimeSpan.FromHours(1 + i), category);
            b.HonestDemand(rng, listing, Max(b.Options.Start - b.Options.WarmUp, listing.CreatedAt), listing.OrdersPerDay);
        }

        return seller;
    }

    /// <summary>
    /// 20 fresh accounts 5-star the 3 listings of one seller within a few hours, mostly through orders of their own,
    /// a third of which are refunded after the review (the rebate).
    /// </summary>
    private static void PaidReviewRing(MarketplaceBuilder b, Random rng, string incident, DateTimeOffset t0)
    {
        var seller = OrdinarySeller(b, rng, b.Options.RingListings);
        var listings = seller.Listings.Take(b.Options.RingListings).ToList();
        var first = DateTimeOffset.MaxValue;
        var firstPerListing = new Dictionary<string, DateTimeOffset>();
        for (var r = 0; r < b.Options.RingReviewers; r++)
        {
            var account = b.NewCustomer(t0 - TimeSpan.FromDays(1 + (rng.NextDouble() * 9)));
            var accountFirst = DateTimeOffset.MaxValue;
            foreach (var listing in listings)
            {
                var reviewAt = t0 + MarketplaceBuilder.Hours(rng, 0.1, 5);
                string? orderId = null;
                var start = reviewAt;
                if (rng.NextDouble() < 0.7)
                {
                    var order = b.NewOrder(listing, account, reviewAt - MarketplaceBuilder.Hours(rng, 0.3, 1.5));
                    b.Stream.OrderPlaced(order.PlacedAt, order);
                    orderId = order.Id;
                    start = order.PlacedAt;
                    if (rng.NextDouble() < 0.35) b.Stream.OrderRefunded(reviewAt + MarketplaceBuilder.Hours(rng, 1, 6), order);
                }

                b.Stream.ReviewPosted(reviewAt, b.NextReviewId(), listing, account, 5, TextBank.RingReview(rng, listing.Noun), orderId);
                accountFirst = Min(accountFirst, start);
                firstPerListing[listing.Id] = firstPerListing.TryGetValue(listing.Id, out var f) ? Min(f, start) : start;
            }

            b.Culprit(incident, FraudPatterns.PaidReviewRing, EntityKind.Reviewer, account.Id, accountFirst);
            first = Min(first, accountFirst);
        }

        b.Culprit(incident, FraudPatterns.PaidReviewRing, EntityKind.Seller, seller.Id, first);
        foreach (var listing in listings)
        {
            b.Culprit(incident, FraudPatterns.PaidReviewRing, EntityKind.Listing, listing.Id, firstPerListing[listing.Id]);
        }
    }

    /// <summary>
    /// A seller buys from itself: a handful of buyer accounts whose ship-to, phone, device or card is the seller's
    /// own place repeat orders over two days; most are refunded or cancelled, some leave a 5-star review.
    /// </summary>
    private static void Brushing(MarketplaceBuilder b, Random rng, string incident, DateTimeOffset t0)
    {
        var seller = OrdinarySeller(b, rng, 2);
        var id = seller.Identity;
        var sharedCard = $"card-fp-brush-{seller.Id}";
        var buyers = Enumerable.Range(0, 4).Select(_ => b.NewCustomer(t0 - TimeSpan.FromDays(2 + (rng.NextDouble() * 20)))).ToList();
        var firstPerBuyer = new Dictionary<string, DateTimeOffset>();
        for (var k = 0; k < 40; k++)
        {
            var buyerIndex = k % buyers.Count;
            var buyer = buyers[buyerIndex];
            var listing = seller.Listings[k % seller.Listings.Count];
            var order = b.NewOrder(listing, buyer, t0 + MarketplaceBuilder.Hours(rng, 0, 48));

            // Each account is linked to the seller by at least one of the seller's own identifiers.
            var shipTo = buyerIndex == 0 ? id.Address.ToUpperInvariant() : buyer.ShipTo;
            var contact = new Dictionary<string, string> { ["email"] = buyer.Email, ["device"] = buyer.Device, ["ip"] = buyer.Ip };
            if (buyerIndex == 1) contact["device"] = id.Device;
            if (buyerIndex == 2) contact["phone"] = id.Phone;
            var payment = buyerIndex == 3 ? sharedCard : buyer.Payment;
            if (buyerIndex == 3) shipTo = id.Address;
            b.Stream.OrderPlaced(order.PlacedAt, order, contact, shipTo, payment);
            firstPerBuyer[buyer.Id] = firstPerBuyer.TryGetValue(buyer.Id, out var f) ? Min(f, order.PlacedAt) : order.PlacedAt;

            var fate = rng.NextDouble();
            if (fate < 0.15)
            {
                b.Stream.OrderCancelled(order.PlacedAt + MarketplaceBuilder.Hours(rng, 0.5, 4), order);
                continue;
            }

            if (rng.NextDouble() < 0.5)
            {
                b.Stream.ReviewPosted(order.PlacedAt + MarketplaceBuilder.Hours(rng, 2, 10), b.NextReviewId(), listing, buyer, 5, TextBank.BrushingReview(rng, listing.Noun), order.Id);
            }

            if (fate < 0.8) b.Stream.OrderRefunded(order.PlacedAt + MarketplaceBuilder.Hours(rng, 12, 40), order);
        }

        foreach (var buyer in buyers)
        {
            b.Culprit(incident, FraudPatterns.Brushing, EntityKind.Reviewer, buyer.Id, firstPerBuyer[buyer.Id]);
        }

        b.Culprit(incident, FraudPatterns.Brushing, EntityKind.Seller, seller.Id, firstPerBuyer.Values.Min());
        foreach (var listing in seller.Listings)
        {
            b.Involved(incident, FraudPatterns.Brushing, EntityKind.Listing, listing.Id, firstPerBuyer.Values.Min());
        }
    }

    /// <summary>
    /// One operator, N stores, one bank account (the first store switches to it later). One store sells counterfeits
    /// until it is reported and closed; the others are culprits through the link.
    /// </summary>
    private static void LinkedStoreNetwork(MarketplaceBuilder b, Random rng, string incident, DateTimeOffset t0)
    {
        // The seller counter makes the shared account unique to this network.
        var sharedBank = $"XX00 NETWORK {b.Sellers.Count:D8} {rng.Next(1_000_000):D6}";
        var stores = new List<Seller>();
        var at = t0 - TimeSpan.FromHours(24);
        for (var s = 0; s < b.Options.NetworkStores; s++)
        {
            at += MarketplaceBuilder.Hours(rng, 1, 6);
            var seller = b.NewSeller(rng, at);
            if (s > 0)
            {
                seller.Identity = seller.Identity with { BankAccount = sharedBank };
            }

            b.Stream.SellerRegistered(seller.RegisteredAt, seller);
            var linkedAt = seller.RegisteredAt;
            if (s == 0)
            {
                linkedAt = seller.RegisteredAt + MarketplaceBuilder.Hours(rng, 2, 10);
                seller.Identity = seller.Identity with { BankAccount = sharedBank };
                b.Stream.SellerUpdated(linkedAt, seller, new Dictionary<string, string> { ["bankAccount"] = sharedBank });
            }

            var category = TextBank.Pick(rng, TextBank.Categories);
            for (var i = 0; i < 2; i++)
            {
                var listing = b.NewHonestListing(rng, seller, seller.RegisteredAt + TimeSpan.FromHours(1 + i), category);
                b.HonestDemand(rng, listing, listing.CreatedAt, listing.OrdersPerDay);
            }

            b.Culprit(incident, FraudPatterns.LinkedStoreNetwork, EntityKind.Seller, seller.Id, linkedAt);
            stores.Add(seller);
        }

        // The burned store: counterfeits of a brand, complaints and brand reports pile up.
        var burned = stores[1];
        var brand = TextBank.Pick(rng, b.Brands);
        var burnStart = at + TimeSpan.FromHours(6);
        for (var k = 0; k < 3; k++)
        {
            var listing = Counterfeit(b, rng, burned, brand, burnStart + TimeSpan.FromMinutes(10 * k));
            b.Culprit(incident, FraudPatterns.LinkedStoreNetwork, EntityKind.Listing, listing.Id, listing.CreatedAt);
            for (var o = 0; o < 6; o++)
            {
                var buyer = TextBank.Pick(rng, b.HonestCustomers);
                var order = b.NewOrder(listing, buyer, listing.CreatedAt + MarketplaceBuilder.Hours(rng, 0.5, 24));
                b.Stream.OrderPlaced(order.PlacedAt, order);
                var delivered = order.PlacedAt + MarketplaceBuilder.Hours(rng, 20, 36);
                b.Stream.OrderDelivered(delivered, order);
                if (o % 3 != 2) b.Stream.ComplaintFiled(delivered + MarketplaceBuilder.Hours(rng, 2, 12), b.NextComplaintId(), "counterfeit", listing, buyer, order.Id);
            }

            b.Stream.BrandReported(listing.CreatedAt + MarketplaceBuilder.Hours(rng, 24, 60), b.NextReportId(), "counterfeit", brand, burned, listing);
        }
    }

    /// <summary>A listing using a brand's keyword, by a seller the brand never authorized, at about 20% of the brand's reference price.</summary>
    private static void CounterfeitListing(MarketplaceBuilder b, Random rng, string incident, DateTimeOffset t0)
    {
        var seller = OrdinarySeller(b, rng, 2);
        var brand = TextBank.Pick(rng, b.Brands);
        var listing = Counterfeit(b, rng, seller, brand, t0);
        var complaints = 0;
        for (var o = 0; o < 8; o++)
        {
            var buyer = TextBank.Pick(rng, b.HonestCustomers);
            var order = b.NewOrder(listing, buyer, t0 + MarketplaceBuilder.Hours(rng, 1, 30));
            b.Stream.OrderPlaced(order.PlacedAt, order);
            var delivered = order.PlacedAt + MarketplaceBuilder.Hours(rng, 20, 40);
            b.Stream.OrderDelivered(delivered, order);
            if (rng.NextDouble() < 0.35 || complaints == 0)
            {
                b.Stream.ComplaintFiled(delivered + MarketplaceBuilder.Hours(rng, 2, 20), b.NextComplaintId(), "counterfeit", listing, buyer, order.Id);
                complaints++;
            }
        }

        b.Stream.BrandReported(t0 + MarketplaceBuilder.Hours(rng, 24, 72), b.NextReportId(), "counterfeit", brand, seller, listing);
        b.Culprit(incident, FraudPatterns.CounterfeitListing, EntityKind.Listing, listing.Id, listing.CreatedAt);
        b.Culprit(incident, FraudPatterns.CounterfeitListing, EntityKind.Seller, seller.Id, listing.CreatedAt);
    }

    internal static Listing Counterfeit(MarketplaceBuilder b, Random rng, Seller seller, Brand brand, DateTimeOffset at)
    {
        var category = b.Category(brand.CategoryId);
        var noun = TextBank.Pick(rng, category.Nouns);

        // Half name the brand only in the title: the engine must find the keyword itself.
        var brandId = rng.NextDouble() < 0.5 ? brand.Id : null;
        var price = brand.ReferencePrice * (decimal)(0.17 + (rng.NextDouble() * 0.06));
        return b.NewListing(seller, at, category, $"{brand.Name} {noun} original, factory sealed", $"Authentic {brand.Name} quality at a fraction of the price.", price, noun, brandId);
    }

    /// <summary>A health or beauty listing whose description makes prohibited medical claims, in English, Chinese or French.</summary>
    private static void ProhibitedClaims(MarketplaceBuilder b, Random rng, string incident, DateTimeOffset t0, int round)
    {
        var seller = OrdinarySeller(b, rng, 1);
        var category = b.Category(rng.NextDouble() < 0.7 ? "health" : "beauty");
        var noun = TextBank.Pick(rng, category.Nouns);
        var listing = b.NewListing(seller, t0, category, $"Natural {noun}", TextBank.ProhibitedDescription(round + rng.Next(3)), category.MedianPrice * 1.2m, noun);
        b.HonestDemand(rng, listing, t0, 1.5);
        b.Culprit(incident, FraudPatterns.ProhibitedClaims, EntityKind.Listing, listing.Id, listing.CreatedAt);
        b.Involved(incident, FraudPatterns.ProhibitedClaims, EntityKind.Seller, seller.Id, listing.CreatedAt);
    }

    /// <summary>
    /// A listing at 8–18% of its category's median price, once the category has a price history: in a category with
    /// at least <see cref="PriceHistory"/> listings before the incident (the engine's first policy judges a price against
    /// its category's median only from 20 prices on), or the busiest category when none has that many yet.
    /// </summary>
    private static void PriceDumping(MarketplaceBuilder b, Random rng, string incident, DateTimeOffset t0)
    {
        var before = b.Sellers.SelectMany(s => s.Listings).Where(l => l.CreatedAt < t0).GroupBy(l => l.Category.Id).ToDictionary(g => g.Key, g => g.Count());
        var seller = OrdinarySeller(b, rng, 1);
        var established = TextBank.Categories.Where(c => before.GetValueOrDefault(c.Id) >= PriceHistory).ToList();
        var category = established.Count > 0 ? TextBank.Pick(rng, established) : TextBank.Categories.MaxBy(c => before.GetValueOrDefault(c.Id))!;
        var noun = TextBank.Pick(rng, category.Nouns);
        var price = category.MedianPrice * (decimal)(0.08 + (rng.NextDouble() * 0.1));
        var listing = b.NewListing(seller, t0, category, $"{MarketplaceBuilder.Capitalize(TextBank.Pick(rng, TextBank.Adjectives))} {noun} clearance", TextBank.HonestDescription(rng, noun), price, noun);
        b.HonestDemand(rng, listing, t0, 4);
        b.Culprit(incident, FraudPatterns.PriceDumping, EntityKind.Listing, listing.Id, listing.CreatedAt);
        b.Involved(incident, FraudPatterns.PriceDumping, EntityKind.Seller, seller.Id, listing.CreatedAt);
    }

    /// <summary>A seller that stops delivering: over two days most buyers of its listing complain.</summary>
    private static void ComplaintSpike(MarketplaceBuilder b, Random rng, string incident, DateTimeOffset t0)
    {
        var seller = OrdinarySeller(b, rng, 2);
        var listing = seller.Listings[0];
        var first = DateTimeOffset.MaxValue;
        for (var o = 0; o < 30; o++)
        {
            var buyer = TextBank.Pick(rng, b.HonestCustomers);
            var order = b.NewOrder(listing, buyer, t0 + MarketplaceBuilder.Hours(rng, 0, 36));
            b.Stream.OrderPlaced(order.PlacedAt, order);
            if (rng.NextDouble() < 0.6)
            {
                var complaintAt = order.PlacedAt + MarketplaceBuilder.Hours(rng, 6, 30);
                b.Stream.ComplaintFiled(complaintAt, b.NextComplaintId(), rng.NextDouble() < 0.6 ? "non_delivery" : "not_as_described", listing, buyer, order.Id);
                first = Min(first, complaintAt);
                if (rng.NextDouble() < 0.5) b.Stream.OrderRefunded(complaintAt + MarketplaceBuilder.Hours(rng, 6, 24), order);
            }
            else
            {
                b.Stream.OrderDelivered(order.PlacedAt + MarketplaceBuilder.Hours(rng, 24, 48), order);
            }
        }

        if (first == DateTimeOffset.MaxValue) first = t0;
        b.Culprit(incident, FraudPatterns.ComplaintSpike, EntityKind.Seller, seller.Id, first);
        b.Culprit(incident, FraudPatterns.ComplaintSpike, EntityKind.Listing, listing.Id, first);
    }

    /// <summary>
    /// Fresh accounts 1-star a brand's official store within two hours with one script; the brand asks for
    /// protection. The attackers are the fraud; the store and its listings are victims.
    /// </summary>
    private static void DefamationBurst(MarketplaceBuilder b, Random rng, string incident, DateTimeOffset t0, IReadOnlyList<Seller> honest)
    {
        var brand = TextBank.Pick(rng, b.Brands);
        var store = honest.First(s => s.Id == brand.OfficialStoreSellerIds[0]);
        var targets = store.Listings.Where(l => l.BrandId == brand.Id).ToList();
        for (var r = 0; r < b.Options.DefamationReviewers; r++)
        {
            var account = b.NewCustomer(t0 - TimeSpan.FromDays(rng.NextDouble() * 3));
            var firstAt = DateTimeOffset.MaxValue;
            foreach (var listing in targets.OrderBy(_ => rng.Next()).Take(rng.Next(1, 3)))
            {
                var at = t0 + MarketplaceBuilder.Hours(rng, 0, 2);
                b.Stream.ReviewPosted(at, b.NextReviewId(), listing, account, 1, TextBank.DefamationReview(rng, brand.Name), null);
                firstAt = Min(firstAt, at);
            }

            b.Culprit(incident, FraudPatterns.DefamationBurst, EntityKind.Reviewer, account.Id, firstAt);
        }

        b.Stream.BrandReported(t0 + TimeSpan.FromHours(1), b.NextReportId(), "defamation", brand, store, null);
        b.Protected(incident, FraudPatterns.DefamationBurst, EntityKind.Seller, store.Id, t0);
        foreach (var listing in targets)
        {
            b.Protected(incident, FraudPatterns.DefamationBurst, EntityKind.Listing, listing.Id, t0);
        }
    }

    /// <summary>One seller, three offences spread over the span: prohibited claims, a counterfeit, claims again.</summary>
    private static void RepeatOffender(MarketplaceBuilder b, Random rng, string incident, int round)
    {
        var seller = OrdinarySeller(b, rng, 2);
        var start = b.Options.Start + (b.Options.Span * 0.05);
        var step = (b.Options.End - start) / 3.5;
        var health = b.Category("health");
        var first = b.NewListing(seller, start, health, "Herbal vitamin complex", TextBank.ProhibitedDescription(round), health.MedianPrice, "vitamin complex");
        b.HonestDemand(rng, first, first.CreatedAt, 1);
        var fake = Counterfeit(b, rng, seller, TextBank.Pick(rng, b.Brands), start + step);
        b.HonestDemand(rng, fake, fake.CreatedAt, 2);
        var again = b.NewListing(seller, start + (2 * step), health, "Herbal tea detox", TextBank.ProhibitedDescription(round + 2), health.MedianPrice, "herbal tea");
        b.HonestDemand(rng, again, again.CreatedAt, 1);

        b.Culprit(incident, FraudPatterns.RepeatOffender, EntityKind.Seller, seller.Id, first.CreatedAt);
        foreach (var listing in new[] { first, fake, again })
        {
            b.Culprit(incident, FraudPatterns.RepeatOffender, EntityKind.Listing, listing.Id, listing.CreatedAt);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
