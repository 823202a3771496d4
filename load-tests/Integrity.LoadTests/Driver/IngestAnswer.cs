using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Integrity.LoadTests.Driver;

/// <summary>One rejected line of a 202 answer.</summary>
public sealed record IngestRejection(int Line, string? EventId, string Code, string Reason);

/// <summary>The body of a 202: how many events were accepted, duplicates within the request, and each rejected line.</summary>
public sealed record IngestAnswer(int Accepted, int Duplicates, IReadOnlyList<IngestRejection> Rejected)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Reads a 202 body; an unreadable one is an error of the engine, reported, never guessed around.</summary>
    public static IngestAnswer? TryParse(string body)
    {
        try
        {
            var raw = JsonSerializer.Deserialize<Raw>(body, Web);
            return raw?.Accepted is null ? null : new IngestAnswer(raw.Accepted.Value, raw.Duplicates ?? 0, raw.Rejected ?? []);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// How long Retry-After asks to wait (delta seconds or an HTTP date), capped at <paramref name="max"/>;
    /// one second when the header is missing, so a bare 503 still backs off.
    /// </summary>
    public static TimeSpan RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now, TimeSpan max)
    {
        var wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => TimeSpan.FromSeconds(1),
        };
        if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
        return wait > max ? max : wait;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"accepted {Accepted}, duplicates {Duplicates}, rejected {Rejected.Count}");

    private sealed record Raw(int? Accepted, int? Duplicates, List<IngestRejection>? Rejected);
}
