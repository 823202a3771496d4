using System.Text.Json.Serialization;

namespace Integrity.Harness.Market;

/// <summary>The fraud patterns the generator injects (DESIGN.md "The problems it exists for"). Names are report keys.</summary>
public static class FraudPatterns
{
    public const string PaidReviewRing = "paid_review_ring";
    public const string Brushing = "brushing";
    public const string LinkedStoreNetwork = "linked_store_network";
    public const string CounterfeitListing = "counterfeit_listing";
    public const string ProhibitedClaims = "prohibited_claims";
    public const string PriceDumping = "price_dumping";
    public const string ComplaintSpike = "complaint_spike";
    public const string DefamationBurst = "defamation_burst";
    public const string RepeatOffender = "repeat_offender";

    public static IReadOnlyList<string> All { get; } =
    [
        PaidReviewRing, Brushing, LinkedStoreNetwork, CounterfeitListing, ProhibitedClaims, PriceDumping, ComplaintSpike,
        DefamationBurst, RepeatOffender,
    ];
}

[JsonConverter(typeof(JsonStringEnumConverter<GroundTruthRole>))]
public enum GroundTruthRole
{
    /// <summary>Committed the fraud: the engine should act on it (counts towards recall).</summary>
    Culprit,

    /// <summary>Part of the fraud without being its author (e.g. the seller of a listing with prohibited claims): a decision on it is not a false positive, a missing one is not a miss.</summary>
    Involved,

    /// <summary>The victim (the brand store under a defamation attack): any decision against it is a false positive.</summary>
    Protected,
}

/// <summary>One entity of one injected incident, with the event time of the first event that carried the fraud.</summary>
public sealed record GroundTruthEntry(
    string Incident,
    string Pattern,
    [property: JsonConverter(typeof(JsonStringEnumConverter<EntityKind>))] EntityKind Kind,
    string Id,
    GroundTruthRole Role,
    DateTimeOffset FirstFraudAt)
{
    [JsonIgnore]
    public EntityKey Key => new(Kind, Id);
}

/// <summary>What was injected where: the answer sheet the detection metrics are computed against.</summary>
public sealed record GroundTruth(int Seed, IReadOnlyList<GroundTruthEntry> Entries)
{
    /// <summary>Every entity a decision may rightly be taken on (culprits and those involved).</summary>
    public IReadOnlySet<EntityKey> Fraudulent() => Entries.Where(e => e.Role != GroundTruthRole.Protected).Select(e => e.Key).ToHashSet();

    public IReadOnlySet<EntityKey> ProtectedEntities() =>
        Entries.Where(e => e.Role == GroundTruthRole.Protected).Select(e => e.Key).Except(Fraudulent()).ToHashSet();
}
