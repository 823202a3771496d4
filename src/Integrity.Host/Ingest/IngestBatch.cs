using System.Globalization;
using Integrity.Domain.Events;
using Integrity.Domain.Wire;
using Integrity.Storage.AzureTables.DeadLetters;

namespace Integrity.Host.Ingest;

/// <summary>One line rejected, as told to the platform.</summary>
public sealed record IngestRejection(int Line, string? EventId, string Code, string Reason);

/// <summary>
/// What one request's lines became: accepted events (each event id once), duplicates within the request,
/// and rejections with their dead letters. A bad line never stops the lines after it.
/// </summary>
public sealed class IngestBatch(EventParser parser, int maxEvents, string requestId, DateTimeOffset at, string? keyRole, string? keyHashPrefix)
{
    private readonly HashSet<string> _eventIds = new(StringComparer.Ordinal);

    public string RequestId => requestId;

    public List<IntegrityEvent> Accepted { get; } = [];

    public int Duplicates { get; private set; }

    public List<IngestRejection> Rejected { get; } = [];

    public List<DeadLetter> DeadLetters { get; } = [];

    /// <summary>Event lines seen (blank lines are not events).</summary>
    public int Events { get; private set; }

    /// <summary>Blank lines seen. Not events, but each costs a little to read, so they are bounded by the same limit.</summary>
    public int BlankLines { get; private set; }

    /// <summary>Exceptions the parser threw (it is built and fuzzed never to); each cost only its own line.</summary>
    public List<Exception> ParserFaults { get; } = [];

    public int MaxLineBytes => parser.Limits.MaxLineBytes;

    public void Add(int line, ReadOnlySpan<byte> utf8)
    {
        if (line == 1 && utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        utf8 = utf8.Trim(" \t\r\n"u8);
        if (utf8.IsEmpty)
        {
            CountBlankLine();
            return;
        }

        CountEvent();
        var result = Parse(utf8);
        if (!result.Succeeded)
        {
            Reject(line, result.Error, utf8, utf8.Length);
        }
        else if (_eventIds.Add(result.Event.EventId))
        {
            Accepted.Add(result.Event);
        }
        else
        {
            Duplicates++;
        }
    }

    /// <summary>A line over the size limit: only its start was kept.</summary>
    public void AddOversized(int line, ReadOnlySpan<byte> start, long totalBytes)
    {
        CountEvent();
        var error = new ParseError(ParseErrorCodes.TooLong, string.Create(CultureInfo.InvariantCulture, $"the line is {totalBytes:N0} bytes, limit {parser.Limits.MaxLineBytes:N0}"));
        Reject(line, error, start, totalBytes);
    }

    /// <summary>The body could not be read any further (a broken JSON array); the rest of it is one rejection.</summary>
    public void AddUnreadableRest(int line, string reason, ReadOnlySpan<byte> rest)
    {
        CountEvent();
        Reject(line, new ParseError(ParseErrorCodes.MalformedJson, reason), rest, rest.Length);
    }

    /// <summary>
    /// Events are checked against the server's clock at the request's arrival (the future skew). Parse never throws by
    /// design; should it ever, the line is rejected and the fault kept for the log, and the rest of the batch goes on.
    /// </summary>
    private ParseResult Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return parser.Parse(utf8, at);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            ParserFaults.Add(e);
            return ParseResult.Fail(new ParseError(ParseErrorCodes.MalformedJson, $"the line could not be read (the parser failed on it: {e.GetType().Name}; request {requestId} is logged)"));
        }
    }

    private void CountBlankLine()
    {
        if (++BlankLines > maxEvents)
        {
            throw new IngestLimitException(string.Create(CultureInfo.InvariantCulture, $"The request holds more than {maxEvents:N0} blank lines (Ingest:MaxEvents bounds blank lines as well as events). Send one event per line without padding; nothing from this request was accepted."));
        }
    }

    private void CountEvent()
    {
        if (++Events > maxEvents)
        {
            throw new IngestLimitException(string.Create(CultureInfo.InvariantCulture, $"The request holds more than {maxEvents:N0} events (Ingest:MaxEvents). Split the batch into smaller requests; nothing from this request was accepted."));
        }
    }

    private void Reject(int line, ParseError error, ReadOnlySpan<byte> raw, long totalBytes)
    {
        Rejected.Add(new IngestRejection(line, error.EventId, error.Code, error.Message));
        var kept = raw.Length <= DeadLetterTable.MaxRawBytes ? raw : raw[..DeadLetterTable.MaxRawBytes];
        var view = RejectedLineView.Of(kept, parser.Hasher);
        DeadLetters.Add(new DeadLetter
        {
            At = at,
            Source = DeadLetterSources.Ingest,
            RequestId = requestId,
            Line = line,
            Code = error.Code,
            Reason = RejectedLineView.SafeReason(error.Message),
            EventId = view.Ids.GetValueOrDefault("eventId"),
            EventType = view.EventType,
            Ids = view.Ids,
            RawHash = view.RawHash,
            RawBytes = (int)Math.Min(totalBytes, int.MaxValue),
            KeyRole = keyRole,
            KeyHashPrefix = keyHashPrefix,
        });
    }
}
