using System.Diagnostics;

namespace Integrity.Grains.Telemetry;

/// <summary>
/// The engine's one <see cref="ActivitySource"/>. Static, as .NET recommends for a source (it is only a name that
/// listeners subscribe to; it holds no state of ours and costs nothing while nobody listens), unlike the instruments of
/// <see cref="IntegrityMetrics"/>, which are injected. Spans: <see cref="JournalAppend"/> inside an ingest request's
/// trace, <see cref="Dispatch"/> for each journal row a partition consumer hands to the entity grains, and
/// <see cref="Checkpoint"/> for each checkpoint.
/// </summary>
public static class IntegrityActivities
{
    public const string SourceName = "Integrity";

    public const string JournalAppend = "journal append";

    public const string Dispatch = "journal dispatch";

    public const string Checkpoint = "partition checkpoint";

    public static ActivitySource Source { get; } = new(SourceName);
}
