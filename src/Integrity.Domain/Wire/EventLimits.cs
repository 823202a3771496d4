namespace Integrity.Domain.Wire;

/// <summary>Size limits for one wire line. A line over any limit is rejected with the field named, never truncated.</summary>
public sealed record EventLimits
{
    public static EventLimits Default { get; } = new();

    /// <summary>Largest accepted line in UTF-8 bytes.</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024;

    /// <summary>Longest free-text field (title, description, review text) in characters.</summary>
    public int MaxStringLength { get; init; } = 4000;

    /// <summary>Longest id or identifier field in characters; ids are keys, not prose.</summary>
    public int MaxIdLength { get; init; } = 128;

    /// <summary>Most items in any array or map field.</summary>
    public int MaxCollectionCount { get; init; } = 200;

    /// <summary>Deepest JSON nesting accepted.</summary>
    public int MaxDepth { get; init; } = 8;
}
