namespace Integrity.Client;

/// <summary>What the engine did with everything one <see cref="IntegrityClient.SendAsync(IEnumerable{System.Text.Json.Nodes.JsonObject}, CancellationToken)"/> sent.</summary>
public sealed record IngestResult(int Accepted, int Duplicates, IReadOnlyList<IngestRejection> Rejected, IReadOnlyList<string> RequestIds)
{
    public static IngestResult Empty { get; } = new(0, 0, [], []);

    internal IngestResult Add(IngestResult other) =>
        new(Accepted + other.Accepted, Duplicates + other.Duplicates, [.. Rejected, .. other.Rejected], [.. RequestIds, .. other.RequestIds]);
}

/// <summary>
/// One event the engine rejected. <see cref="Line"/> is the event's 1-based position in what was given to
/// SendAsync (whatever batch it travelled in); <see cref="Code"/> is stable, <see cref="Reason"/> names the field.
/// </summary>
public sealed record IngestRejection(int Line, string? EventId, string Code, string Reason, string RequestId);
