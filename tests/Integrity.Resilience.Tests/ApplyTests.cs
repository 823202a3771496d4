using System.Net;

namespace Integrity.Resilience.Tests;

/// <summary>Poison events, resent batches and bad lines, end to end through the real host process and its consumers.</summary>
[Collection(SharedEngineCollection.Name)]
public sealed class ApplyTests(SharedEngineFixture fixture)
{
    private EngineUnderTest Engine => fixture.Engine;

    [Fact]
    public async Task A_review_naming_another_seller_than_the_listings_is_dead_lettered_and_its_partition_goes_on()
    {
        var id = Unique();
        var (owner, other) = ($"S-{id}-owner", $"S-{id}-other");
        var (owned, others) = ($"L-{id}-owned", $"L-{id}-others");
        var poison = $"E-{id}-poison";
        var (status, _) = await Lines.PostAsync(Engine.BaseAddress,
            Lines.Listing($"E-{id}-1", owned, owner, 0),
            Lines.Listing($"E-{id}-2", others, other, 1));
        Assert.Equal(HttpStatusCode.Accepted, status);
        await Engine.Tables.WaitSettledAsync(TimeSpan.FromSeconds(60));

        // The poison review travels in the partition of the seller it names (other), followed by that seller's events.
        (status, var answer) = await Lines.PostAsync(Engine.BaseAddress,
            Lines.Review(poison, owned, other, $"C-{id}-poisoner", 2),
            Lines.Order($"E-{id}-4", others, other, $"C-{id}-buyer", 3),
            Lines.Review($"E-{id}-5", others, other, $"C-{id}-buyer", 4),
            Lines.Order($"E-{id}-6", others, other, $"C-{id}-buyer", 5));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(4, answer!["accepted"]!.GetValue<int>()); // valid shape: ingest cannot know the listing's seller
        await Engine.Tables.WaitSettledAsync(TimeSpan.FromSeconds(60));

        var letters = await Engine.Tables.ConsumerDeadLettersAsync();
        var letter = Assert.Single(letters, l => l.GetString("EventId") == poison);
        Assert.Equal("SELLER_MISMATCH", letter.GetString("Code"));
        Assert.Equal("review.posted", letter.GetString("EventType"));
        Assert.Contains($"names seller {other} for listing {owned}, which belongs to seller {owner}", letter.GetString("Reason"), StringComparison.Ordinal);

        var stored = await Engine.Tables.StoredEntitiesAsync(id);
        Assert.Equal(1, stored[new(EntityKind.Listing, owned)].EventsApplied);      // only its creation
        Assert.Equal(4, stored[new(EntityKind.Listing, others)].EventsApplied);     // creation and the three after the poison
        Assert.Equal(3, stored[new(EntityKind.Reviewer, $"C-{id}-buyer")].EventsApplied);
        Assert.Equal(1, stored[new(EntityKind.Seller, owner)].EventsApplied);
        Assert.Equal(4, stored[new(EntityKind.Seller, other)].EventsApplied);       // not the poison review
        Assert.False(stored.ContainsKey(new(EntityKind.Reviewer, $"C-{id}-poisoner")), "the poison review reached its reviewer");
    }

    [Fact]
    public async Task The_same_batch_sent_twice_moves_the_counters_in_grain_state_once()
    {
        var id = Unique();
        var (seller, listing, buyer) = ($"S-{id}", $"L-{id}", $"C-{id}");
        string[] batch =
        [
            Lines.Listing($"E-{id}-1", listing, seller, 0),
            Lines.Order($"E-{id}-2", listing, seller, buyer, 1),
            Lines.Review($"E-{id}-3", listing, seller, buyer, 2),
            Lines.Order($"E-{id}-4", listing, seller, buyer, 3),
        ];

        var first = await Lines.PostAsync(Engine.BaseAddress, batch);
        await Engine.Tables.WaitSettledAsync(TimeSpan.FromSeconds(60));
        var once = await Engine.Tables.StoredEntitiesAsync(id);
        var second = await Lines.PostAsync(Engine.BaseAddress, batch);
        await Engine.Tables.WaitSettledAsync(TimeSpan.FromSeconds(60));
        var twice = await Engine.Tables.StoredEntitiesAsync(id);

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(HttpStatusCode.Accepted, second.Status);
        Assert.Equal(4, second.Answer!["accepted"]!.GetValue<int>());
        var expected = Lines.Ledger(batch);
        Assert.Equal(3, expected.PerEntity()[new(EntityKind.Reviewer, buyer)]);
        Ledgers.AssertExactlyOnce(expected, once);
        Ledgers.AssertExactlyOnce(expected, twice);
        Assert.Equal(once.Values.Sum(e => e.EventsApplied), twice.Values.Sum(e => e.EventsApplied));
    }

    [Fact]
    public async Task Bad_lines_are_rejected_with_their_reason_and_the_valid_lines_of_the_batch_are_applied()
    {
        var id = Unique();
        var (seller, listing, buyer) = ($"S-{id}", $"L-{id}", $"C-{id}");
        var valid = (Listing: Lines.Listing($"E-{id}-1", listing, seller, 0), Order: Lines.Order($"E-{id}-5", listing, seller, buyer, 3), Review: Lines.Review($"E-{id}-7", listing, seller, buyer, 5));
        var (status, answer) = await Lines.PostAsync(Engine.BaseAddress,
            valid.Listing,
            "{\"type\":\"order.placed\",",
            Lines.Order($"E-{id}-3", listing, seller, buyer, 1).Replace("\"amount\":35.0", "\"amount\":\"lots\"", StringComparison.Ordinal),
            Lines.Review($"E-{id}-4", listing, seller, buyer, 2).Replace("review.posted", "review.deleted", StringComparison.Ordinal),
            valid.Order,
            Lines.Review($"E-{id}-6", listing, seller, buyer, 4).Replace($"\"reviewerId\":\"{buyer}\",", "", StringComparison.Ordinal),
            valid.Review);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(3, answer!["accepted"]!.GetValue<int>());
        var rejected = answer["rejected"]!.AsArray().Select(r => (r!["line"]!.GetValue<int>(), r["code"]!.GetValue<string>())).ToList();
        Assert.Equal([(2, "MALFORMED_JSON"), (3, "INVALID_VALUE"), (4, "UNKNOWN_TYPE"), (6, "MISSING_FIELD")], rejected);

        await Engine.Tables.WaitSettledAsync(TimeSpan.FromSeconds(60));
        var expected = Lines.Ledger(valid.Listing, valid.Order, valid.Review);
        Assert.Equal(2, expected.PerEntity()[new(EntityKind.Reviewer, buyer)]);
        Ledgers.AssertExactlyOnce(expected, await Engine.Tables.StoredEntitiesAsync(id));
    }

    private static string Unique() => "t" + Guid.NewGuid().ToString("N")[..10];
}
