using Integrity.Domain.Events;

namespace Integrity.Domain.Tests.Fixtures;

/// <summary>
/// The event streams of every fraud pattern, shared by the domain's reference tests and the cluster tests, so both
/// judge the same traffic. <c>t</c> is appended to every entity id so scenarios can share one cluster.
/// </summary>
public static class FraudScenarios
{
    /// <summary>20 fresh accounts 5-star the same 3 listings of one seller within hours; 8 bought, reviewed, then got refunded.</summary>
    public static ScenarioBuilder PaidReviewRing(string t = "")
    {
        var b = new ScenarioBuilder { Prefix = "ring" + t };
        b.Seller("S-ring" + t);
        string[] listings = [$"L-ring-1{t}", $"L-ring-2{t}", $"L-ring-3{t}"];
        foreach (var l in listings) b.Listing(l, "S-ring" + t, $"Smart watch {l}", "Fitness tracker with heart rate.", "wearables", 45m);
        b.Advance(TimeSpan.FromDays(3));

        var accountsCreated = b.Now - TimeSpan.FromDays(2);
        var ringStart = b.Now;
        var orders = new Dictionary<string, OrderPlaced>();
        for (var a = 0; a < 8; a++)
        {
            b.Advance(TimeSpan.FromMinutes(5));
            orders[$"C-ring-{a}{t}"] = b.Order($"O-ring-{a}{t}", listings[0], "S-ring" + t, $"C-ring-{a}{t}", 45m);
        }

        for (var round = 0; round < listings.Length; round++)
        {
            b.At(ringStart + TimeSpan.FromHours(1 + round));
            for (var a = 0; a < 20; a++)
            {
                b.Advance(TimeSpan.FromMinutes(2));
                var account = $"C-ring-{a}{t}";
                var verified = round == 0 && orders.TryGetValue(account, out var o) ? o.OrderId : null;
                b.Review(listings[round], "S-ring" + t, account, 5, $"Amazing watch, best purchase ever, works perfectly, highly recommend to everyone! #{a % 3}", verified, accountsCreated);
            }
        }

        b.Advance(TimeSpan.FromHours(6));
        foreach (var order in orders.Values) b.Advance(TimeSpan.FromMinutes(3)).Refund(order);
        return b;
    }

    /// <summary>
    /// A seller's orders come from 5 buyers, two shipping to the seller's own warehouse; 4 in 5 are refunded. With
    /// <paramref name="sister"/>, a second store <c>S-sister</c> is registered on the brushing seller's device before the orders.
    /// </summary>
    public static ScenarioBuilder Brushing(string t = "", bool sister = false)
    {
        var b = new ScenarioBuilder { Prefix = "brush" + t };
        b.Seller("S-brush" + t, ScenarioBuilder.Ids(bank: "bank-brush" + t, address: "7 warehouse road" + t, device: "dev-brush" + t));
        if (sister) b.Seller("S-sister" + t, ScenarioBuilder.Ids(bank: "bank-sister" + t, device: "dev-brush" + t));
        b.Listing("L-brush" + t, "S-brush" + t, "Phone case", "Silicone case", "accessories", 9m);
        for (var i = 0; i < 40; i++)
        {
            b.Advance(TimeSpan.FromHours(3));
            var order = b.Order($"O-brush-{i}{t}", "L-brush" + t, "S-brush" + t, $"C-brush-{i % 5}{t}", 9m, shipTo: i % 5 < 2 ? "7 Warehouse Road" + t : null);
            if (i % 5 != 4) b.Advance(TimeSpan.FromHours(1)).Refund(order);
        }

        return b;
    }

    /// <summary>30 stores registered two hours apart, all paid into the same bank account.</summary>
    public static ScenarioBuilder LinkedNetwork(string t = "", int stores = 30)
    {
        var b = new ScenarioBuilder { Prefix = "net" + t };
        for (var i = 0; i < stores; i++)
        {
            b.Advance(TimeSpan.FromHours(2));
            b.Seller($"S-net-{i}{t}", ScenarioBuilder.Ids(bank: "FR76 0000 1111 2222" + t, email: $"net{i}{t}@mail.example"));
        }

        return b;
    }

    /// <summary>A brand with a reference price of 199; <paramref name="sellerId"/> lists its keyword at <paramref name="price"/>.</summary>
    public static ScenarioBuilder Counterfeit(string sellerId, decimal price, string t = "")
    {
        var b = new ScenarioBuilder { Prefix = "cf" + t };
        b.Brand("B-ac" + t, "Acoustica", ["acoustica", "acoustica pro"], 199m, authorized: ["S-auth" + t], officialStores: ["S-official" + t]);
        b.Seller(sellerId + t);
        b.Listing("L-cf" + t, sellerId + t, "ACOUSTICA Pro wireless earbuds, original", "Noise cancelling.", "audio", price);
        return b;
    }

    /// <summary>A herbal tea whose Chinese description promises cures.</summary>
    public static ScenarioBuilder ChineseMedicalClaims(string t = "")
    {
        var b = new ScenarioBuilder { Prefix = "herb" + t };
        b.Seller("S-herb" + t);
        b.Listing("L-herb" + t, "S-herb" + t, "天然草本茶 500g", "纯天然草本配方，根治糖尿病，包治百病，無副作用。", "health", 39m);
        return b;
    }

    /// <summary>30 espresso machines around 150–210, then one at 19.90.</summary>
    public static ScenarioBuilder PriceDumping(string t = "")
    {
        var b = new ScenarioBuilder { Prefix = "dump" + t };
        var random = new Random(7);
        for (var i = 0; i < 30; i++)
        {
            b.Seller($"S-cat-{i}{t}");
            b.Listing($"L-cat-{i}{t}", $"S-cat-{i}{t}", $"Espresso machine {i}", "15 bar pump.", "coffee" + t, Math.Round(150m + (decimal)(random.NextDouble() * 60), 2));
        }

        b.Seller("S-dump" + t);
        b.Listing("L-dump" + t, "S-dump" + t, "Espresso machine", "15 bar pump.", "coffee" + t, 19.90m);
        return b;
    }

    /// <summary>40 orders over two weeks, then 12 complaints in a day and a half.</summary>
    public static ScenarioBuilder ComplaintSpike(string t = "")
    {
        var b = new ScenarioBuilder { Prefix = "cmp" + t };
        b.Seller("S-cmp" + t);
        b.Listing("L-cmp" + t, "S-cmp" + t, "Winter jacket", "Waterproof, warm.", "clothing", 60m);
        for (var i = 0; i < 40; i++) b.Advance(TimeSpan.FromHours(8)).Order($"O-cmp-{i}{t}", "L-cmp" + t, "S-cmp" + t, $"C-cmp-{i}{t}", 60m);
        for (var i = 0; i < 12; i++)
        {
            b.Advance(TimeSpan.FromHours(3)).Complaint("L-cmp" + t, "S-cmp" + t, $"C-cmp-{i}{t}", i % 2 == 0 ? ComplaintKind.NotAsDescribed : ComplaintKind.Quality, $"O-cmp-{i}{t}");
        }

        return b;
    }

    /// <summary>A brand's official store with a week of honest reviews, then 15 fresh accounts 1-star its 3 listings within 2 hours.</summary>
    public static (ScenarioBuilder Builder, DateTimeOffset AttackStart) Defamation(string t = "")
    {
        var b = new ScenarioBuilder { Prefix = "def" + t };
        b.Brand("B-off" + t, "Acoustica", ["acoustica"], 199m, officialStores: ["S-official" + t]);
        b.Seller("S-official" + t);
        string[] listings = [$"L-off-1{t}", $"L-off-2{t}", $"L-off-3{t}"];
        foreach (var l in listings) b.Listing(l, "S-official" + t, $"Acoustica speaker {l}", "Official store.", "audio", 199m);

        var random = new Random(3);
        for (var i = 0; i < 30; i++)
        {
            b.Advance(TimeSpan.FromHours(5));
            var listing = listings[i % 3];
            var order = b.Order($"O-off-{i}{t}", listing, "S-official" + t, $"C-fan-{i}{t}", 199m);
            b.Advance(TimeSpan.FromHours(1)).Review(listing, "S-official" + t, $"C-fan-{i}{t}", 4 + (i % 2), HonestTraffic.Sentence(random), order.OrderId);
        }

        b.Advance(TimeSpan.FromDays(1));
        var attackStart = b.Now;
        for (var round = 0; round < 3; round++)
        {
            b.At(attackStart + TimeSpan.FromMinutes(40 * round));
            for (var a = 0; a < 15; a++)
            {
                b.Advance(TimeSpan.FromMinutes(2));
                b.Review(listings[round], "S-official" + t, $"C-troll-{a}{t}", 1, $"Terrible fake product, broke after one day, total scam, avoid this brand!! {a % 2}", accountCreatedAt: attackStart - TimeSpan.FromHours(3));
            }
        }

        b.BrandReport("B-off" + t, BrandReportKind.Defamation, "S-official" + t);
        return (b, attackStart);
    }

    /// <summary>The first offense of a re-offender: brushing on a phone case (the analyst reinstates afterwards).</summary>
    public static void FirstOffense(ScenarioBuilder b, string sellerId)
    {
        b.Seller(sellerId);
        b.Listing($"L-{sellerId}-first", sellerId, "Phone case", "Case.", "accessories", 9m);
        for (var i = 0; i < 20; i++)
        {
            var order = b.Advance(TimeSpan.FromHours(2)).Order($"O-{sellerId}-first-{i}", $"L-{sellerId}-first", sellerId, $"C-{sellerId}-{i % 4}", 9m);
            b.Advance(TimeSpan.FromMinutes(30)).Refund(order);
        }
    }

    /// <summary>A complaint spike on a new listing of <paramref name="sellerId"/>, starting at <paramref name="at"/>.</summary>
    public static void SecondOffense(ScenarioBuilder b, string sellerId, DateTimeOffset at)
    {
        b.At(at);
        var listing = $"L-{sellerId}-{at:MMdd}";
        b.Listing(listing, sellerId, "Desk lamp", "LED lamp.", "home", 30m);
        for (var i = 0; i < 20; i++) b.Advance(TimeSpan.FromHours(1)).Order($"O-{listing}-{i}", listing, sellerId, $"C-{listing}-{i}", 30m);
        for (var i = 0; i < 8; i++) b.Advance(TimeSpan.FromHours(1)).Complaint(listing, sellerId, $"C-{listing}-{i}", ComplaintKind.Quality);
    }
}
