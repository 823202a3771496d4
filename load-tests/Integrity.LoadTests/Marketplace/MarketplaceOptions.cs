namespace Integrity.LoadTests.Marketplace;

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

    public DateTimeOffset End => Start + Span;

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
        if (RingReviewers < 2 || RingListings < 1 || NetworkStores < 2 || DefamationReviewers < 2) errors.Add("fraud shapes need at least 2 accounts/stores and 1 listing");
        return errors;
    }
}
