using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Integrity.Harness.Market;

/// <summary>
/// One wire event of the generated stream. Fields are kept until the stream is sorted and ids are assigned, then the
/// event is serialized once into its NDJSON line and the fields are dropped (a large stream lives as bytes only).
/// </summary>
public sealed class GeneratedEvent
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private List<KeyValuePair<string, object>>? _fields;

    internal GeneratedEvent(string type, DateTimeOffset occurredAt, string shardKey, EntityKey[] touched, List<KeyValuePair<string, object>> fields, long creationOrder)
    {
        Type = type;
        OccurredAt = occurredAt;
        ShardKey = shardKey;
        Touched = touched;
        _fields = fields;
        CreationOrder = creationOrder;
    }

    /// <summary>An event read back from a line that is already written (its fields stay in the line).</summary>
    internal static GeneratedEvent FromLine(string type, string eventId, DateTimeOffset occurredAt, string shardKey, EntityKey[] touched, byte[] line, long order) =>
        new(type, occurredAt, shardKey, touched, [], order) { EventId = eventId, Line = line };

    /// <summary>The wire type name, e.g. <c>review.posted</c>.</summary>
    public string Type { get; }

    public DateTimeOffset OccurredAt { get; }

    /// <summary>Events with the same key are sent in order by one worker: the seller id, or the brand id for brand profiles.</summary>
    public string ShardKey { get; }

    /// <summary>The entities whose state this event changes, as the engine routes it (identifier entities aside).</summary>
    public IReadOnlyList<EntityKey> Touched { get; }

    public string EventId { get; private set; } = "";

    /// <summary>The UTF-8 NDJSON line, without the newline.</summary>
    public byte[] Line { get; private set; } = [];

    internal long CreationOrder { get; }

    /// <summary>Assigns the id and writes the line: type, schemaVersion, eventId, occurredAt, then the fields.</summary>
    internal void Seal(string eventId)
    {
        EventId = eventId;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("type", Type);
            w.WriteNumber("schemaVersion", 1);
            w.WriteString("eventId", eventId);
            w.WriteString("occurredAt", FormatTime(OccurredAt));
            foreach (var (name, value) in _fields ?? [])
            {
                WriteField(w, name, value);
            }

            w.WriteEndObject();
        }

        Line = buffer.WrittenSpan.ToArray();
        _fields = null;
    }

    public static string FormatTime(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void WriteField(Utf8JsonWriter w, string name, object value)
    {
        switch (value)
        {
            case string s:
                w.WriteString(name, s);
                break;
            case int i:
                w.WriteNumber(name, i);
                break;
            case decimal d:
                w.WriteNumber(name, d);
                break;
            case DateTimeOffset t:
                w.WriteString(name, FormatTime(t));
                break;
            case IReadOnlyDictionary<string, string> map:
                w.WriteStartObject(name);
                foreach (var (k, v) in map)
                {
                    w.WriteString(k, v);
                }

                w.WriteEndObject();
                break;
            case IReadOnlyDictionary<string, decimal> prices:
                w.WriteStartObject(name);
                foreach (var (k, v) in prices)
                {
                    w.WriteNumber(k, v);
                }

                w.WriteEndObject();
                break;
            case IEnumerable<string> list:
                w.WriteStartArray(name);
                foreach (var item in list)
                {
                    w.WriteStringValue(item);
                }

                w.WriteEndArray();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.GetType().Name, "Unsupported wire field type.");
        }
    }
}
