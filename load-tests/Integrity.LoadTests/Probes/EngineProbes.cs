using Integrity.LoadTests.Cli;
using Integrity.LoadTests.Evaluation;

namespace Integrity.LoadTests.Probes;

/// <summary>A probe and a sentence saying where it reads from (for the report).</summary>
public sealed record ChosenProbe(IEngineProbe Probe, string Description);

/// <summary>Picks how to read the engine back from what <c>run</c> was given.</summary>
public static class EngineProbes
{
    public static ChosenProbe? Create(EngineAccess access, Uri target, HttpClient http)
    {
        _ = target;
        _ = http;
        return access.Probe switch
        {
            "none" => null,
            "storage" => access.Storage is { } s ? Storage(s) : throw new UsageException("--probe storage needs --storage or --self-host"),
            _ => access.Storage is { } s ? Storage(s) : null,
        };
    }

    private static ChosenProbe Storage(string connectionString) =>
        new(new StorageEngineProbe(connectionString), "read back from the engine's storage: applied counters from the grain-state table, decisions from the audit trail");
}
