namespace Integrity.Domain.Enforcement;

/// <summary>
/// The id of what triggered an evaluation: a text, or a fact with the function that writes its id. Only a decision
/// names it (most evaluations take none), so the id of a fact between entities is written only then instead of on
/// every observation.
/// </summary>
internal readonly struct TriggeringId
{
    private readonly string? _text;
    private readonly object? _source;
    private readonly Func<object, string>? _format;

    private TriggeringId(string? text, object? source, Func<object, string>? format) => (_text, _source, _format) = (text, source, format);

    public static implicit operator TriggeringId(string text) => new(text, null, null);

    /// <param name="format">Writes the id of <paramref name="source"/>; a static lambda, so that deferring allocates nothing.</param>
    public static TriggeringId Deferred(object source, Func<object, string> format) => new(null, source, format);

    public override string ToString() => _text ?? _format!(_source!);
}
