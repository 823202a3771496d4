using Integrity.Domain.Events;

namespace Integrity.Backtest.Input;

/// <summary>An accepted input line: the event, the 1-based line it started on, and the id the input gave a review (seq, id or review id).</summary>
internal sealed record InputEvent(IntegrityEvent Event, long Line, string? ReviewKey);

/// <summary>A rejected input line, with its 1-based number and why.</summary>
internal sealed record RejectedLine(long Line, string Code, string Reason);

/// <summary>Everything read from one input file.</summary>
internal sealed record InputBatch(IReadOnlyList<InputEvent> Events, IReadOnlyList<RejectedLine> Rejected, string ReviewKeyColumn, long Lines);
