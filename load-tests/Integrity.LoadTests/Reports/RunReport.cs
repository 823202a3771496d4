using Integrity.Harness.Ledger;
using Integrity.Harness.Reports;
using Integrity.Harness.Sending;
using Integrity.LoadTests.Evaluation;

namespace Integrity.LoadTests.Reports;

/// <summary>What the run was asked to do.</summary>
public sealed record RunSettings(
    string Target,
    int Concurrency,
    double? Rate,
    int Batch,
    bool Gzip,
    long? MaxEvents,
    double DurationLimitSeconds,
    int MaxRetries,
    string Source,
    int? Seed,
    int? Sellers,
    double? FraudRate,
    double? SpanDays);

public sealed record MachineInfo(int ProcessorCount, string OperatingSystem, string Runtime)
{
    public static MachineInfo Current() => new(Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.OSDescription, Environment.Version.ToString());
}

/// <summary>The whole run, as written to report.json and rendered to report.md.</summary>
public sealed record RunReport(
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    RunSettings Settings,
    MachineInfo Machine,
    long StreamEvents,
    double SendSeconds,
    double EventsPerSecondSent,
    double EventsPerSecondAccepted,
    RunTotals Totals,
    LatencySummary IngestLatency,
    IReadOnlyList<string> RejectionSamples,
    long LedgerAccepted,
    long LedgerUncertain,
    IReadOnlyDictionary<string, KindCount> LedgerPerKind,
    IReadOnlyList<SecondSample> Timeline,
    EngineEvaluation? Engine,
    string? EngineNote,
    EngineThroughput? Applied = null,
    bool SelfHosted = false);

/// <summary>
/// How fast the engine applied what it accepted: from the first request until every journal partition's durable
/// checkpoint reached its head (all accepted events applied and their grain states stored), per /v1/admin/progress.
/// </summary>
public sealed record EngineThroughput(bool Settled, double SecondsToApply, long EventsAccepted, double EventsPerSecond, double SecondsAfterLastSend, string How);
