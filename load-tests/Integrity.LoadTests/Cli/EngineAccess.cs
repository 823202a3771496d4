namespace Integrity.LoadTests.Cli;

/// <summary>How <c>run</c> reaches the engine beyond ingest: self-hosted or not, and what it may read back with.</summary>
public sealed record EngineAccess
{
    /// <summary>Start Azurite and the host process, drive them, stop them.</summary>
    public bool SelfHost { get; init; }

    /// <summary>With <see cref="SelfHost"/>: Azurite's data folder (null: in memory).</summary>
    public string? AzuriteData { get; init; }

    /// <summary>A key that may read the query API (viewer or analyst).</summary>
    public string? ViewerKey { get; init; }

    /// <summary>An analyst key: lets the harness watch the pipeline's progress (<c>/v1/admin/progress</c>) to time the applying.</summary>
    public string? AnalystKey { get; init; }

    /// <summary>The engine's storage connection string, to read applied counters from its grain-state table directly.</summary>
    public string? Storage { get; init; }

    /// <summary><c>auto</c> (the API for decisions and storage for counters when both are reachable), <c>http</c>, <c>storage</c> or <c>none</c>.</summary>
    public string Probe { get; init; } = "auto";

    /// <summary>Longest wait, after sending, for the engine to apply what it accepted.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMinutes(2);
}
