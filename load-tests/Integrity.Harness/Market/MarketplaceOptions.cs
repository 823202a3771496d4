namespace Integrity.Harness.Market;

/// <summary>How big a marketplace to generate, over how much event time, and how much fraud to inject.</summary>
public sealed record MarketplaceOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>Honest sellers. Fraud incidents bring their own sellers and accounts on top.</summary>
    public int Sellers { get; init; } = 200;

    /// <summary>Event time covered by the traffic (the stream starts a little earlier with registrations).</summary>
    public TimeSpan Span { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Fraud incidents per honest seller. Any rate above 0 injects every pattern at least once.</summary>
    public double FraudRate { get; init; } = 0.05;

    public DateTimeOffset Start { get; init; } = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Honest traffic before <see cref="Start"/>, so deliveries, reviews and refunds are in their steady mix from the
    /// first hour of the span, and the engine has baselines before the first incident.
    /// </summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Mean honest orders per listing per day (each listing's demand varies log-normally around it).</summary>
    public double OrdersPerListingPerDay { get; init; } = 1.2;

    /// <summary>Accounts in the paid-review ring, and listings they 5-star.</summary>
    public int RingReviewers { get; init; } = 20;

    public int RingListings { get; init; } = 3;

    /// <summary>
    /// Stores sharing one bank account in a linked network. The engine's first policy calls a seller part of a network
    /// when it shares a strong identifier with at least 5 other sellers (LINKED_NETWORK), so a network has 6 stores;
    /// smaller ones are only held once an analyst closes one of them (LINKED_TO_CLOSED), which a load run does not do.
    /// </summary>
    public int NetworkStores { get; init; } = 6;

    public int DefamationReviewers { get; init; } = 20;

    /// <summary>Put in every entity, event and identifier value (empty: none), so markets sent to one storage never share an entity.</summary>
    public string IdPrefix { get; init; } = "";

    /// <summary>
    /// 0: activity spread evenly (2–8 listings a seller, log-normal demand per listing, buyers picked uniformly). Above 0,
    /// realistically skewed: the Zipf exponent of sellers' activity (listings and orders by seller rank) and of listings'
    /// demand within a seller; buyers are Zipf with half of it (a marketplace's busiest buyers are far less concentrated
    /// than its busiest sellers). 1 is the classic Zipf.
    /// </summary>
    public double Skew { get; init; }

    /// <summary>Honest customer accounts; null: 15 per honest seller, at least 100.</summary>
    public int? Customers { get; init; }

    /// <summary>Share of delivered honest orders that their buyer reviews.</summary>
    public double ReviewRate { get; init; } = 0.35;

    /// <summary>New honest listings per day from the warm-up to the end of the span, market-wide, each by a seller drawn by activity: listings keep arriving among the orders.</summary>
    public double NewListingsPerDay { get; init; }

    /// <summary>Share of those new listings whose description makes a prohibited claim: each a <c>prohibited_claims</c> culprit that tips a decision at once.</summary>
    public double ClaimShare { get; init; }

    public DateTimeOffset End => Start + Span;

    public int CustomerCount => Customers ?? Math.Max(100, Sellers * 15);

    /// <summary>Events an honest order brings on average: placed; cancelled (3%) or delivered; then refund, review and complaint at their rates.</summary>
    public double EventsPerOrder => 1 + 0.03 + (0.97 * (1 + 0.02 + ReviewRate + 0.015));

    /// <summary>
    /// The review rate at which reviews are <paramref name="share"/> of honest traffic (what the benchmarks ask for) once
    /// its mix is steady, at most 1 (reviews are then about a third of it). Reviews come 1 to 12 days after their order,
    /// so the stream's first days, from the warm-up on, hold fewer.
    /// </summary>
    public static double ReviewRateForShare(double share) => Math.Clamp(share * (1 + 0.03 + (0.97 * 1.035)) / (0.97 * (1 - share)), 0, 1);

    /// <summary>These options with the honest demand set so that the stream holds about <paramref name="events"/> events.</summary>
    public MarketplaceOptions SizedFor(long events)
    {
        var orderDays = Sellers * 5.0 * (WarmUp + Span).TotalDays;
        return this with { OrdersPerListingPerDay = Math.Clamp(events / (orderDays * EventsPerOrder), 0.01, 1000) };
    }

    public int FraudIncidents => FraudRate <= 0 ? 0 : Math.Max(FraudPatterns.All.Count, (int)Math.Round(Sellers * FraudRate));

    /// <summary>Problems with these options, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Sellers < 10) errors.Add($"--sellers must be at least 10 (brands need official stores and authorized sellers), got {Sellers}");
        if (Sellers > 1_000_000) errors.Add($"--sellers must be at most 1000000, got {Sellers}");
        if (WarmUp < TimeSpan.Zero || WarmUp > TimeSpan.FromDays(60)) errors.Add($"warm-up must be between 0 and 60 days, got {WarmUp}");
        if (Span < TimeSpan.FromDays(1) || Span > TimeSpan.FromDays(365)) errors.Add($"--span must be between 1d and 365d, got {Span}");
        if (FraudRate is < 0 or > 1 || double.IsNaN(FraudRate)) errors.Add($"--fraud-rate must be between 0 and 1, got {FraudRate}");
        if (OrdersPerListingPerDay is <= 0 or > 1000) errors.Add($"orders per listing per day must be in (0, 1000], got {OrdersPerListingPerDay}");
        if (Skew is < 0 or > 3 || double.IsNaN(Skew)) errors.Add($"--skew must be between 0 (even) and 3, got {Skew}");
        if (Customers is < 10) errors.Add($"--customers must be at least 10, got {Customers}");
        if (ReviewRate is < 0 or > 1 || ClaimShare is < 0 or > 1) errors.Add("review rate and claim share must be between 0 and 1");
        if (NewListingsPerDay is < 0 or > 1_000_000) errors.Add($"new listings per day must be in [0, 1000000], got {NewListingsPerDay}");
        if (IdPrefix.Any(c => !char.IsAsciiLetterOrDigit(c))) errors.Add($"the id prefix takes letters and digits only, got '{IdPrefix}'");
        if (RingReviewers < 2 || RingListings < 1 || NetworkStores < 2 || DefamationReviewers < 2) errors.Add("fraud shapes need at least 2 accounts/stores and 1 listing");
        return errors;
    }
}
