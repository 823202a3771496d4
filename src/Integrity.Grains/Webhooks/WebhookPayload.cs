using System.Text;
using System.Text.Json;
using Integrity.Contracts;

namespace Integrity.Grains.Webhooks;

/// <summary>
/// The JSON body of a delivery: the audited record with its id (the delivery id receivers dedupe by), what it is
/// about, the step, and the full decision or action as audited (reasons, evidence event ids, policy version; identifiers
/// already keyed hashes).
/// </summary>
public static class WebhookPayload
{
    /// <summary>The ladder level a decision or action moved the entity to, read from its audited details.</summary>
    public static int? Level(AuditRecord record)
    {
        try
        {
            using var details = JsonDocument.Parse(record.Details);
            return details.RootElement.ValueKind == JsonValueKind.Object && details.RootElement.TryGetProperty("toLevel", out var level) && level.TryGetInt32(out var l) ? l : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Body(AuditRecord record)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", record.EntryId);
            json.WriteString("type", record.Kind);
            json.WriteString("recordedAt", record.RecordedAt);
            json.WriteString("occurredAt", record.OccurredAt);
            json.WriteStartObject("entity");
            json.WriteString("kind", record.EntityKind);
            json.WriteString("id", record.EntityId);
            json.WriteEndObject();
            WriteOptional(json, "step", record.Step);
            if (Level(record) is { } level)
            {
                json.WriteNumber("level", level);
            }

            if (record.Score is { } score)
            {
                json.WriteNumber("score", score);
            }

            WriteOptional(json, "policyVersion", record.PolicyVersion);
            WriteOptional(json, "actor", record.Actor);
            json.WritePropertyName("details");
            try
            {
                using var details = JsonDocument.Parse(record.Details);
                details.RootElement.WriteTo(json);
            }
            catch (JsonException)
            {
                json.WriteStringValue(record.Details);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
