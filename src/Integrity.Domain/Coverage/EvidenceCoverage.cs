using System.Globalization;
using Integrity.Domain.Events;
using Integrity.Domain.Policy;

namespace Integrity.Domain.Coverage;

/// <summary>
/// What this deployment has been sent, and the policy as it applies here: a signal whose evidence the platform does not
/// send does not count (<see cref="Gate"/>). It still runs, so where it would have tripped the entity's reasons say so,
/// at weight 0 and marked <see cref="Enforcement.Reason.Inactive"/>, with what is missing. Observed coverage only grows:
/// once a source is sent it stays sent. Counting (<see cref="Observe"/>, <see cref="Add"/>) is single-threaded;
/// <see cref="Gate"/> and <see cref="IsSent"/> may be called from any thread.
/// </summary>
public sealed class EvidenceCoverage
{
    private static readonly EvidenceSource[] Sources = Enum.GetValues<EvidenceSource>();

    private readonly EvidenceCoverageOptions _options;
    private readonly long[] _events = new long[Sources.Length];
    private readonly DateTimeOffset?[] _first = new DateTimeOffset?[Sources.Length];
    private readonly DateTimeOffset?[] _last = new DateTimeOffset?[Sources.Length];
    private volatile int _sent;
    private volatile GatedPolicy? _gated;
    private volatile GatedPolicy? _gatedBefore;

    public EvidenceCoverage(EvidenceCoverageOptions? options = null)
    {
        _options = options ?? new EvidenceCoverageOptions();
        var problems = _options.Validate().ToList();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems), nameof(options));
        _sent = SentMask();
    }

    /// <summary>Every source declared sent: the policy applies whole.</summary>
    public static EvidenceCoverage AllSent() => new(EvidenceCoverageOptions.AllSent());

    public EvidenceCoverageOptions Options => _options;

    /// <summary>Counts the sources <paramref name="e"/> carries; true when one of them became sent.</summary>
    public bool Observe(IntegrityEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var at = e.OccurredAt;
        return e switch
        {
            ReviewPosted review => Count(EvidenceSource.Reviews, 1, at, at)
                | (review.OrderId is not null && Count(EvidenceSource.VerifiedReviews, 1, at, at))
                | (review.AccountCreatedAt is not null && Count(EvidenceSource.AccountAges, 1, at, at)),
            OrderEvent => Count(EvidenceSource.Orders, 1, at, at),
            ComplaintFiled => Count(EvidenceSource.Complaints, 1, at, at),
            ListingEvent => Count(EvidenceSource.Listings, 1, at, at),
            SellerRegistered registered => Count(EvidenceSource.SellerRegistrations, 1, at, at)
                | (registered.Identifiers.Present().Any() && Count(EvidenceSource.SellerIdentifiers, 1, at, at)),
            SellerUpdated updated => updated.Identifiers.Present().Any() && Count(EvidenceSource.SellerIdentifiers, 1, at, at),
            BrandRegistered => Count(EvidenceSource.BrandRegistrations, 1, at, at),
            BrandReported => Count(EvidenceSource.BrandReports, 1, at, at),
            _ => false,
        };
    }

    /// <summary>Adds counts observed elsewhere (another silo's); true when a source became sent.</summary>
    public bool Add(EvidenceTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        var newlySent = false;
        foreach (var c in tally.Sources)
        {
            if (c.Events > 0) newlySent |= Count(c.Source, c.Events, c.FirstAt, c.LastAt);
        }

        return newlySent;
    }

    public EvidenceTally Tally() => new([.. Sources.Select(s => new EvidenceCount(s, _events[(int)s], _first[(int)s], _last[(int)s]))]);

    public bool IsSent(EvidenceSource source) => (_sent & Bit(source)) != 0;

    /// <summary>What the configuration declares of <paramref name="source"/> (null: observed).</summary>
    public bool? Declared(EvidenceSource source) => _options.Declared.TryGetValue(source, out var sent) ? sent : null;

    /// <summary>The sources <paramref name="code"/> needs that this deployment does not send.</summary>
    public IReadOnlyList<EvidenceSource> Missing(string code) => [.. SignalEvidence.For(code).Where(s => !IsSent(s))];

    /// <summary>Why <paramref name="code"/> does not count here, or null when it does.</summary>
    public string? InactiveBecause(string code)
    {
        var missing = Missing(code);
        if (missing.Count == 0) return null;
        return string.Join("; ", missing.Select(s => Declared(s) == false
            ? $"the platform declares it sends no {SignalEvidence.Describe(s)}"
            : _options.MinEvents == 1
                ? $"no {SignalEvidence.Describe(s)} seen yet"
                : string.Create(CultureInfo.InvariantCulture, $"{_events[(int)s]} of the {_options.MinEvents} {SignalEvidence.Describe(s)} needed seen so far")));
    }

    /// <summary>
    /// <paramref name="policy"/> as it applies here: each signal missing evidence keeps its settings at weight 0 and says
    /// why. The same object while neither the policy nor what is sent changes (nothing is built per event); the last
    /// two policies are remembered (the active one and a candidate in shadow).
    /// </summary>
    public PolicyOptions Gate(PolicyOptions policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var sent = _sent;
        if (_gated is { } last && ReferenceEquals(last.Base, policy) && last.Sent == sent) return last.Policy;
        if (_gatedBefore is { } before && ReferenceEquals(before.Base, policy) && before.Sent == sent) return before.Policy;

        var signals = new Dictionary<string, SignalRule>(policy.Signals, StringComparer.Ordinal);
        var changed = false;
        foreach (var (code, rule) in policy.Signals)
        {
            if (!SignalEvidence.Knows(code) || InactiveBecause(code) is not { } because) continue;
            signals[code] = rule.Inactive(because);
            changed = true;
        }

        var gated = changed ? policy.WithSignals(signals) : policy;
        _gatedBefore = _gated;
        _gated = new GatedPolicy(policy, sent, gated);
        return gated;
    }

    /// <summary>Every source and every signal, as the API shows them.</summary>
    public CoverageReport Report()
    {
        var tally = Tally();
        var sources = Sources.Select(s => new SourceCoverage(s.ToString(), SignalEvidence.Describe(s), tally[s].Events, tally[s].FirstAt, tally[s].LastAt, IsSent(s), Declared(s))).ToList();
        var signals = new[] { ("listing", ReasonCodes.Listing), ("reviewer", ReasonCodes.Reviewer), ("seller", ReasonCodes.Seller) }
            .SelectMany(k => k.Item2.Select(code => new SignalCoverage(code, k.Item1, Missing(code).Count == 0, [.. SignalEvidence.For(code).Select(s => s.ToString())], InactiveBecause(code))))
            .ToList();
        return new CoverageReport(_options.MinEvents, sources, signals);
    }

    /// <summary>Counts events of <paramref name="source"/>; true when it became sent by them (only an observed source not yet sent is looked at again).</summary>
    private bool Count(EvidenceSource source, long events, DateTimeOffset? first, DateTimeOffset? last)
    {
        var i = (int)source;
        _events[i] += events;
        if (first is { } f && (_first[i] is null || f < _first[i])) _first[i] = f;
        if (last is { } l && (_last[i] is null || l > _last[i])) _last[i] = l;
        if ((_sent & Bit(source)) != 0 || Declared(source) is not null || _events[i] < _options.MinEvents) return false;
        _sent |= Bit(source);
        return true;
    }

    private int SentMask()
    {
        var mask = 0;
        foreach (var s in Sources)
        {
            if (Declared(s) ?? _events[(int)s] >= _options.MinEvents) mask |= Bit(s);
        }

        return mask;
    }

    private static int Bit(EvidenceSource source) => 1 << (int)source;

    private sealed record GatedPolicy(PolicyOptions Base, int Sent, PolicyOptions Policy);
}

/// <summary>One evidence source as this deployment sees it: counted events, first and latest event time, whether it counts as sent and whether that was declared.</summary>
public sealed record SourceCoverage(string Source, string Description, long Events, DateTimeOffset? FirstAt, DateTimeOffset? LastAt, bool Sent, bool? Declared);

/// <summary>One signal: whether it counts here, the sources it needs, and why not when it does not.</summary>
public sealed record SignalCoverage(string Code, string EntityKind, bool Active, IReadOnlyList<string> Needs, string? InactiveBecause);

/// <summary>What the platform sends and which signals count because of it (<see cref="EvidenceCoverage.Report"/>).</summary>
public sealed record CoverageReport(int MinEvents, IReadOnlyList<SourceCoverage> Sources, IReadOnlyList<SignalCoverage> Signals)
{
    public IEnumerable<SignalCoverage> InactiveSignals() => Signals.Where(s => !s.Active);
}
