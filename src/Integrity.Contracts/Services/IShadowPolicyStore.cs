using Integrity.Domain.Policy;

namespace Integrity.Contracts.Services;

/// <summary>
/// A candidate policy's would-be decisions, kept apart from the audit trail (Azure Table storage in production): never
/// acted on, never delivered, never on the live feed. Rows are <see cref="AuditRecord"/>s of kind
/// <see cref="ShadowKind"/>, their details the decision as the candidate would have made it.
/// </summary>
public interface IShadowDecisionLog
{
    public const string ShadowKind = "shadow";

    /// <summary>Appends durably; the same entry id again replaces its row with the same content (a replay).</summary>
    Task AppendAsync(IReadOnlyCollection<AuditRecord> records, CancellationToken cancellationToken = default);

    /// <summary>The candidate <paramref name="policyVersion"/>'s decisions with event time in [from, to), oldest first, at most <paramref name="max"/>.</summary>
    Task<RangeRead> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to, string policyVersion, int max, CancellationToken cancellationToken = default);
}

/// <summary>Records read from a range, and whether the range held more than was read.</summary>
public sealed record RangeRead(IReadOnlyList<AuditRecord> Records, bool Truncated);

/// <summary>Where the last promotion of a candidate policy is kept, for every silo to read.</summary>
public interface IPolicyPromotionStore
{
    Task<PolicyPromotion?> ReadAsync(CancellationToken cancellationToken = default);

    Task WriteAsync(PolicyPromotion promotion, CancellationToken cancellationToken = default);
}
