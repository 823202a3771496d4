namespace Integrity.Azurite;

/// <summary>How to start a local Azurite: in memory (tests) or on a data folder (the host's embedded default).</summary>
public sealed record LocalAzuriteOptions
{
    /// <summary>Folder for Azurite's data; null keeps everything in memory.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Folder holding the pinned package.json of Azurite; found by walking up from the app when null.</summary>
    public string? ToolDirectory { get; init; }

    /// <summary>Fixed ports (blob, queue, table); free ports are picked when null.</summary>
    public AzuritePorts? Ports { get; init; }

    /// <summary>How long to wait for all three services to answer.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>The three loopback ports Azurite listens on.</summary>
public sealed record AzuritePorts(int Blob, int Queue, int Table);
