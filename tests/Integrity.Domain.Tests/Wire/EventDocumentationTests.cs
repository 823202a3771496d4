using System.Text.Json;
using System.Text.RegularExpressions;
using Integrity.Domain.Events;
using Integrity.Domain.Serialization;
using Integrity.Domain.Tests.Fixtures;

namespace Integrity.Domain.Tests.Wire;

/// <summary>Keeps docs/events.md honest: every documented example parses, and every event type is documented.</summary>
public sealed partial class EventDocumentationTests
{
    private static readonly IReadOnlyList<string> Examples = JsonBlocks(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "events.md")));

    [Fact]
    public void Every_event_type_has_exactly_one_documented_example_that_parses()
    {
        var parser = TestHasher.Parser();

        var parsed = Examples.Select(line => parser.Parse(line)).ToList();

        Assert.All(parsed, r => Assert.True(r.Succeeded, r.Error?.ToString()));
        Assert.Equal(EventTypeNames.All.Order(), parsed.Select(r => r.Event!.TypeName).Order());
    }

    [Fact]
    public void Parsed_events_round_trip_through_domain_json_with_a_type_discriminator()
    {
        var parser = TestHasher.Parser();

        foreach (var line in Examples)
        {
            var e = parser.Parse(line).Event!;
            var json = DomainJson.Serialize(e);
            var back = DomainJson.Deserialize<IntegrityEvent>(json);

            Assert.StartsWith($"{{\"type\":\"{e.TypeName}\"", json, StringComparison.Ordinal);
            Assert.DoesNotContain("Integrity.Domain", json, StringComparison.Ordinal);
            Assert.Equal(json, DomainJson.Serialize(back));
            Assert.Equal(e.GetType(), back.GetType());
        }
    }

    private static List<string> JsonBlocks(string markdown) =>
        JsonBlock().Matches(markdown).Select(m => m.Groups[1].Value.Trim())
            .Where(s => JsonDocument.Parse(s).RootElement.TryGetProperty("type", out _)).ToList();

    [GeneratedRegex("```json\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
