using System.Diagnostics.CodeAnalysis;
using Integrity.Domain.Events;

namespace Integrity.Domain.Wire;

/// <summary>Either the parsed event or the reason it was rejected.</summary>
public sealed record ParseResult
{
    private ParseResult(IntegrityEvent? @event, ParseError? error) => (Event, Error) = (@event, error);

    public IntegrityEvent? Event { get; }

    public ParseError? Error { get; }

    [MemberNotNullWhen(true, nameof(Event))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Event is not null;

    public static ParseResult Ok(IntegrityEvent e) => new(e, null);

    public static ParseResult Fail(ParseError error) => new(null, error);
}
