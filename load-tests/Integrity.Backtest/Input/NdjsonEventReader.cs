using System.Text;
using Integrity.Domain.Events;
using Integrity.Domain.Wire;

namespace Integrity.Backtest.Input;

/// <summary>Our wire events, one JSON object a line, through the engine's own parser (same checks and identifier hashing as ingest).</summary>
internal static class NdjsonEventReader
{
    public static InputBatch Read(TextReader reader, EventParser parser)
    {
        var events = new List<InputEvent>();
        var rejected = new List<RejectedLine>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var result = parser.Parse(Encoding.UTF8.GetBytes(text));
            if (!result.Succeeded)
            {
                rejected.Add(new RejectedLine(line, result.Error.Code, result.Error.Message));
                continue;
            }

            if (!seen.Add(result.Event.EventId))
            {
                rejected.Add(new RejectedLine(line, "DUPLICATE_ID", $"eventId \"{result.Event.EventId}\" appeared on an earlier line"));
                continue;
            }

            events.Add(new InputEvent(result.Event, line, (result.Event as ReviewPosted)?.ReviewId));
        }

        return new InputBatch(events, rejected, "id", line);
    }
}
