using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Signals;

public sealed class ListingContentSignalTests
{
    private static BrandProfile Acoustica()
    {
        var b = new ScenarioBuilder();
        return BrandProfile.Apply(BrandProfile.Create("B-1"), b.Brand("B-1", "Acoustica", ["acoustica"], 100m, authorized: ["S-auth"], perCategory: new Dictionary<string, decimal> { ["audio"] = 200m }));
    }

    private static Domain.State.ListingState ListingBy(string seller, decimal price, string title = "Acoustica earbuds", string description = "", string category = "audio")
    {
        var b = new ScenarioBuilder();
        var brand = Acoustica();
        return Fold.Listing([b.Listing("L-1", seller, title, description, category, price)], _ => new ListingContext([brand]));
    }

    [Fact]
    public void Brand_keyword_by_an_unauthorized_seller_far_under_the_category_reference_trips_counterfeit()
    {
        var reason = Fold.ReasonOf(ListingBy("S-x", 40m).Enforcement, ReasonCodes.Counterfeit);

        Assert.NotNull(reason);
        Assert.Equal(0.2, reason.Value, 3);
    }

    [Fact]
    public void Unauthorized_seller_at_a_normal_price_is_only_unauthorized_brand_use()
    {
        var state = ListingBy("S-x", 190m);

        Assert.Null(Fold.ReasonOf(state.Enforcement, ReasonCodes.Counterfeit));
        Assert.NotNull(Fold.ReasonOf(state.Enforcement, ReasonCodes.UnauthorizedBrandUse));
        Assert.Empty(state.Enforcement.History);
    }

    [Fact]
    public void Authorized_seller_at_any_price_trips_no_brand_signal()
    {
        Assert.Empty(ListingBy("S-auth", 40m).Enforcement.Reasons);
    }

    [Fact]
    public void Single_reference_price_applies_outside_the_priced_categories()
    {
        Assert.Equal(0.4, Fold.ReasonOf(ListingBy("S-x", 40m, category: "cables").Enforcement, ReasonCodes.Counterfeit)!.Value, 3);
    }

    [Theory]
    [InlineData(BrandReportKind.Counterfeit, true)]
    [InlineData(BrandReportKind.Trademark, true)]
    [InlineData(BrandReportKind.Defamation, false)]
    public void Brand_owner_reports_count_except_defamation(BrandReportKind kind, bool trips)
    {
        var b = new ScenarioBuilder();
        var state = Fold.Listing([b.Listing("L-1", "S-1"), b.BrandReport("B-1", kind, "S-1", "L-1")]);

        Assert.Equal(trips, Fold.ReasonOf(state.Enforcement, ReasonCodes.BrandReports) is not null);
    }

    [Theory]
    [InlineData("Herbal drops", "This tonic cures cancer and has no side effects.", 2)]
    [InlineData("Tisane", "Notre tisane GUERIT LE CANCER, sans effets secondaires.", 2)]
    [InlineData("草本茶", "本品治愈癌症", 1)]
    [InlineData("草本茶", "包 治 百 病", 1)]
    public void Prohibited_health_claims_are_found_in_english_french_and_chinese(string title, string description, int matches)
    {
        var b = new ScenarioBuilder();
        var reason = Fold.ReasonOf(Fold.Listing([b.Listing("L-1", "S-1", title, description, "health", 20m)]).Enforcement, ReasonCodes.ProhibitedClaim);

        Assert.Equal(matches, reason?.Value);
    }

    [Theory]
    [InlineData("Organic cotton tee", "100% cotton, no side pockets, procures cancer research funds.")]
    [InlineData("Tisane", "Une infusion douce, sans sucre ajouté.")]
    [InlineData("绿茶", "清香可口，适合下午茶。")]
    public void Ordinary_descriptions_trip_no_claim_signal(string title, string description)
    {
        var b = new ScenarioBuilder();
        Assert.Empty(Fold.Listing([b.Listing("L-1", "S-1", title, description, "health", 20m)]).Enforcement.Reasons);
    }

    [Theory]
    [InlineData("100% guaranteed results in one week", true)]
    [InlineData("100% cotton", false)]
    public void Absolute_promises_trip_exaggerated_claim(string description, bool trips)
    {
        var b = new ScenarioBuilder();
        var state = Fold.Listing([b.Listing("L-1", "S-1", "Slimming belt", description, "fitness", 20m)]);

        Assert.Equal(trips, Fold.ReasonOf(state.Enforcement, ReasonCodes.ExaggeratedClaim) is not null);
    }

    [Theory]
    [InlineData(19.90, 200, true)]
    [InlineData(80.00, 200, false)]
    [InlineData(19.90, 5, false)]
    public void Price_far_under_a_well_known_category_median_trips_price_dumping(decimal price, long count, bool trips)
    {
        var b = new ScenarioBuilder();
        var stats = new CategoryPriceSnapshot("audio", "EUR", 100m, count);
        var state = Fold.Listing([b.Listing("L-1", "S-1", "Speaker", "", "audio", price)], _ => new ListingContext(CategoryPrices: stats));

        Assert.Equal(trips, Fold.ReasonOf(state.Enforcement, ReasonCodes.PriceDumping) is not null);
    }

    [Theory]
    [InlineData(10, true)]
    [InlineData(200, false)]
    public void Complaints_relative_to_orders_trip_complaint_rate(int orders, bool trips)
    {
        var b = new ScenarioBuilder();
        var events = new List<IntegrityEvent> { b.Listing("L-1", "S-1") };
        for (var i = 0; i < orders; i++) events.Add(b.Advance(TimeSpan.FromMinutes(30)).Order($"O-{i}", "L-1", "S-1", $"C-{i}"));
        for (var i = 0; i < 6; i++) events.Add(b.Advance(TimeSpan.FromHours(2)).Complaint("L-1", "S-1", $"C-{i}"));

        Assert.Equal(trips, Fold.ReasonOf(Fold.Listing(events).Enforcement, ReasonCodes.ComplaintRate) is not null);
    }

    [Theory]
    [InlineData("Wireless earbuds", "audio", 6, true)]
    [InlineData("Phone case, black", "accessories", 6, false)]
    [InlineData("Phone case", "audio", 6, true)]
    [InlineData("Wireless earbuds", "audio", 2, false)]
    public void Rewriting_a_reviewed_listing_into_another_product_trips_bait_and_switch(string newTitle, string newCategory, int reviews, bool trips)
    {
        var b = new ScenarioBuilder();
        var events = new List<IntegrityEvent> { b.Listing("L-1", "S-1", "Phone case", category: "accessories", price: 9m) };
        for (var i = 0; i < reviews; i++) events.Add(b.Advance(TimeSpan.FromHours(5)).Review("L-1", "S-1", $"C-{i}", 5, "nice case"));
        events.Add(b.Advance(TimeSpan.FromHours(1)).ListingUpdate("L-1", "S-1", newTitle, category: newCategory, price: 9m));

        Assert.Equal(trips, Fold.ReasonOf(Fold.Listing(events).Enforcement, ReasonCodes.BaitAndSwitch) is not null);
    }
}
