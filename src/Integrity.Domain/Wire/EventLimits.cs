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

    /// <summary>Most attachments (references) on one appeal.</summary>
    public int MaxAttachments { get; init; } = 20;

    /// <summary>Longest URL accepted as a reference (an appeal's attachment).</summary>
    public int MaxUrlLength { get; init; } = 2048;

    /// <summary>Deepest JSON nesting accepted.</summary>
    public int MaxDepth { get; init; } = 8;

    /// <summary>
    /// How far past the server's clock an <c>occurredAt</c> may be (clocks drift a little). Checked only when the parser
    /// is given the clock (ingest), not when history is replayed. Event time drives every window: one event dated years
    /// ahead would move its entity's clock there for good and empty its windows.
    /// </summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromDays(1);
}
