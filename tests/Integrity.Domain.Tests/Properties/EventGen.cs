using CsCheck;
using Integrity.Domain.Events;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Properties;

/// <summary>Random marketplace event streams over a small universe, so entities meet often (rings, bursts, refunds).</summary>
public static class EventGen
{
    private static readonly string[] Texts =
    [
        "Amazing product, best purchase ever, highly recommend to everyone!",
        "Amazing product, best purchase ever, highly recommend to everybody!",
        "Broke after a day, total scam, avoid this seller at all costs.",
        "Decent for the price, packaging was a bit damaged though.",
        "ok",
    ];

    private static readonly string[] Titles = ["Phone case", "Wireless earbuds", "Acoustica earbuds", "Herbal tea that cures cancer", "Desk lamp"];

    private static readonly Gen<IntegrityEvent> OneEvent =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, 3 * 24 * 60], Gen.Int[0, 2], Gen.Int[0, 5], Gen.Int[1, 5], Gen.Int[0, 4], Gen.Int[0, 7])
            .Select((kind, minute, listing, customer, rating, pick, order) =>
            {
                var at = ScenarioBuilder.DefaultStart + TimeSpan.FromMinutes(minute);
                var (l, s, c, o) = ($"L-{listing}", $"S-{listing % 2}", $"C-{customer}", $"O-{customer}-{order}");
                return kind switch
                {
                    0 => new ListingUpdated("", at, l, s, Titles[pick], Texts[pick], null, pick < 2 ? "audio" : "home", 5m + (pick * 30m), "EUR"),
                    1 or 2 or 3 => new ReviewPosted("", at, $"R-{minute}", l, s, c, rating, Texts[pick], pick % 2 == 0 ? o : null, at - TimeSpan.FromHours(pick * 20)),
                    4 => new OrderPlaced("", at, o, l, s, c, 20m, "EUR", ScenarioBuilder.Hash(IdentifierKind.Address, pick == 0 ? "seller street" : c), "pay"),
                    5 => new OrderRefunded("", at, o, l, s, c, 20m, "EUR"),
                    6 => new OrderCancelled("", at, o, l, s, c, 20m, "EUR"),
                    7 => new ComplaintFiled("", at, $"CP-{minute}", (ComplaintKind)pick, l, s, c),
                    8 => new BrandReported("", at, $"BR-{minute}", (BrandReportKind)(pick % 3), "B-1", l, s),
                    _ => (IntegrityEvent)new SellerUpdated("", at, s, null, ScenarioBuilder.Ids(bank: pick < 3 ? "shared-bank" : $"bank-{s}", address: "seller street")),
                };
            });

    /// <summary>A stream with unique event ids, in time order (shuffle it for out-of-order tests).</summary>
    public static readonly Gen<List<IntegrityEvent>> Stream =
        OneEvent.List[1, 80].Select(events => events
            .Select((e, i) => e with { EventId = $"g-{i:D3}" })
            .OrderBy(e => e.OccurredAt)
            .ToList());

    /// <summary>The brand and sellers every stream starts from.</summary>
    public static IReadOnlyList<IntegrityEvent> Setup()
    {
        var b = new ScenarioBuilder(ScenarioBuilder.DefaultStart - TimeSpan.FromDays(1)) { Prefix = "setup" };
        b.Brand("B-1", "Acoustica", ["acoustica"], 200m);
        b.Seller("S-0", ScenarioBuilder.Ids(bank: "shared-bank", address: "seller street"));
        b.Seller("S-1");
        for (var l = 0; l < 3; l++) b.Listing($"L-{l}", $"S-{l % 2}");
        return b.Events;
    }
}
