using System.Text.Json;
using Integrity.Contracts;
using Integrity.Domain.Enforcement;
using Integrity.Host.Query;

namespace Integrity.Host.Apis;

/// <summary>
/// A seller, listing or reviewer as trust-and-safety sees it: ladder step and score with every reason and its
/// evidence, the steps taken (and by whom), an analyst's override, linked entities, the latest analyst action in
/// words, recent audit entries, and the domain state (personal identifiers only as keyed hashes).
/// </summary>
public sealed record EntityResponse(
    string Kind,
    string Id,
    int Level,
    string Step,
    IReadOnlyList<string> Ladder,
    double Score,
    IReadOnlyList<Reason> Reasons,
    IReadOnlyList<StepRecord> History,
    LadderOverride? Override,
    IReadOnlyList<LinkedEntity> Links,
    DateTimeOffset? AssessedAt,
    DateTimeOffset? Clock,
    LastAction? LastAction,
    IReadOnlyList<AuditEntry> RecentDecisions,
    JsonElement State)
{
    public static EntityResponse From(EntityKinds.Kind kind, EntityView view, IReadOnlyList<AuditRecord> recent)
    {
        using var state = JsonDocument.Parse(view.StateJson);
        return new EntityResponse(view.Kind, view.Id, view.Level, view.Step, kind.Ladder, view.Score, view.Reasons, view.History, view.Override,
            view.Links, view.AssessedAt, view.Clock, LastAction.Of(kind, view.History), [.. recent.Select(AuditEntry.From)], state.RootElement.Clone());
    }
}

/// <summary>The latest step an analyst took, in words (e.g. "Reversed by alice: PayoutsHeld → NewListingsBlocked").</summary>
public sealed record LastAction(string Origin, string? Analyst, DateTimeOffset At, string From, string To, string Summary)
{
    public static LastAction? Of(EntityKinds.Kind kind, IReadOnlyList<StepRecord> history)
    {
        if (history.LastOrDefault(h => h.Origin != DecisionOrigin.Automatic) is not { } step)
        {
            return null;
        }

        var verb = step.Origin switch
        {
            DecisionOrigin.AnalystReverse => "Reversed",
            DecisionOrigin.AnalystReinstate => "Reinstated",
            DecisionOrigin.AnalystOverride => "Overridden",
            DecisionOrigin.AppealUpheld => "Appeal upheld",
            DecisionOrigin.AppealReversed => "Appeal granted, step reversed",
            DecisionOrigin.AppealPartly => "Appeal partly granted",
            _ => "Confirmed",
        };
        var from = Ladders.StepName(kind.Domain, step.FromLevel);
        var to = Ladders.StepName(kind.Domain, step.ToLevel);
        var origin = JsonNamingPolicy.SnakeCaseLower.ConvertName(step.Origin.ToString());
        return new LastAction(origin, step.Analyst, step.At, from, to, $"{verb} by {step.Analyst ?? "an analyst"}: {from} → {to}");
    }
}

/// <summary>One line of the audit trail; <see cref="Details"/> is the decision with its reasons and evidence, or the note.</summary>
public sealed record AuditEntry(
    string EntryId,
    string Kind,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string? Step,
    double? Score,
    string? PolicyVersion,
    string? Actor,
    JsonElement Details)
{
    public static AuditEntry From(AuditRecord r)
    {
        JsonElement details;
        try
        {
            using var doc = JsonDocument.Parse(r.Details);
            details = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            details = JsonSerializer.SerializeToElement(new { unreadable = true });
        }

        return new AuditEntry(r.EntryId, r.Kind, r.OccurredAt, r.RecordedAt, r.Step, r.Score, r.PolicyVersion, r.Actor, details);
    }
}

/// <summary>A point of the score-over-time chart: each audit entry's score and step, at event time.</summary>
public sealed record ScorePoint(DateTimeOffset At, double Score, string? Step, string Kind);

/// <summary>An entity's whole audit trail (oldest first) and its score over time.</summary>
public sealed record HistoryResponse(string Kind, string Id, IReadOnlyList<ScorePoint> Scores, IReadOnlyList<AuditEntry> Entries, bool Truncated);

/// <summary>One page of a list; pass <see cref="Continuation"/> back as <c>continuation</c> for the next (null on the last page).</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, string? Continuation);

/// <summary>What an analyst does: <c>confirm</c>, <c>reverse</c>, <c>reinstate</c>, <c>override</c> (with <c>level</c>, optionally <c>until</c>) or <c>note</c>.</summary>
public sealed record ActionRequest(string? Action, string? Note, int? Level, DateTimeOffset? Until, string? ActionId);

/// <summary>A ticket that opens <c>GET /v1/decisions/stream?ticket=...</c> until <see cref="ExpiresAt"/>.</summary>
public sealed record StreamTicketResponse(string Ticket, DateTimeOffset ExpiresAt, string StreamUrl);

/// <summary>The role of the key presented (the dashboard shows analyst buttons only to analyst keys).</summary>
public sealed record KeyInfo(string Role, IReadOnlyList<string> Grants, string KeyHash);

/// <summary>
/// Names a body an endpoint reads itself (to answer a bad body with a clear problem), for the OpenAPI document; one
/// per content type it accepts.
/// </summary>
public sealed record DocumentedBody(Type Type, string ContentType = "application/json");

/// <summary>A CSV form of an endpoint's 200 answer (chosen by <c>format=csv</c> or <c>Accept: text/csv</c>), for the OpenAPI document.</summary>
public sealed record DocumentedCsv(string Description);

/// <summary>A request header an endpoint reads itself and requires, for the OpenAPI document.</summary>
public sealed record DocumentedHeader(string Name, string Description);
