using Integrity.Domain.Enforcement;

namespace Integrity.Contracts;

/// <summary>
/// An entity as trust-and-safety sees it, read from grain state: ladder step, score, every reason with its evidence,
/// recent steps, an analyst's override, linked entities, and the domain state itself (identifiers only as keyed hashes).
/// </summary>
[GenerateSerializer, Immutable, Alias("integrity.EntityView")]
public sealed record EntityView(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Id,
    [property: Id(2)] bool Known,
    [property: Id(3)] int Level,
    [property: Id(4)] string Step,
    [property: Id(5)] double Score,
    [property: Id(6)] IReadOnlyList<Reason> Reasons,
    [property: Id(7)] IReadOnlyList<StepRecord> History,
    [property: Id(8)] LadderOverride? Override,
    [property: Id(9)] IReadOnlyList<LinkedEntity> Links,
    [property: Id(10)] DateTimeOffset? AssessedAt,
    [property: Id(11)] DateTimeOffset? Clock,
    [property: Id(12)] string StateJson,
    [property: Id(13)] IReadOnlyList<AppealCase>? Appeals = null);

/// <summary>Another entity related to this one, and why (e.g. a store sharing a bank account, a listing's reviewer).</summary>
[GenerateSerializer, Immutable, Alias("integrity.LinkedEntity")]
public sealed record LinkedEntity([property: Id(0)] string Kind, [property: Id(1)] string Id, [property: Id(2)] string Relation, [property: Id(3)] int? Level);

/// <summary>What an analyst does to an entity. <see cref="ActionId"/> makes a retried request a no-op.</summary>
[GenerateSerializer, Immutable, Alias("integrity.AnalystCommand")]
public sealed record AnalystCommand(
    [property: Id(0)] AnalystVerb Verb,
    [property: Id(1)] string ActionId,
    [property: Id(2)] string Analyst,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? Note = null,
    [property: Id(5)] int? Level = null,
    [property: Id(6)] DateTimeOffset? Until = null,
    [property: Id(7)] string? AppealId = null);

public enum AnalystVerb
{
    Confirm,
    Reverse,
    Reinstate,
    Override,
    Note,

    /// <summary>The outcome of the appeal <see cref="AnalystCommand.AppealId"/>: the step stands.</summary>
    AppealUpheld,

    /// <summary>The outcome of the appeal: the contested step is undone.</summary>
    AppealReversed,

    /// <summary>The outcome of the appeal: partly granted, a step down (to <see cref="AnalystCommand.Level"/>, default one step).</summary>
    AppealPartly,
}

/// <summary>An analyst command that cannot be carried out (e.g. nothing to reverse), with the reason.</summary>
[GenerateSerializer, Alias("integrity.AnalystCommandRejected")]
public sealed class AnalystCommandRejectedException(string message) : Exception(message);
