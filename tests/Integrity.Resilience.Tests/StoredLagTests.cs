using System.Diagnostics;
using System.Net;
using Integrity.Domain.Events;
using Integrity.Storage.AzureTables.Journal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Integrity.Resilience.Tests;

/// <summary>The staleness bound: ingest refuses (503) while stored grain state is further behind than the bound.</summary>
public sealed class StoredLagTests
{
    [Fact]
    public async Task Ingest_answers_503_while_stored_state_is_past_the_bound_and_accepts_again_once_a_checkpoint_covers_it()
    {
        // Checkpoints every 8 s and a 1 s bound: between them, acknowledged rows wait longer than the bound.
        await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Consumers:CheckpointInterval"] = "00:00:08",
            ["Ingest:MaxStoredLagSeconds"] = "1",
            ["Ingest:StoredLagPollMilliseconds"] = "100",
            ["Ingest:RetryAfterSeconds"] = "1",
        });

        var first = await Lines.PostAsync(engine.BaseAddress, Lines.Listing("lag-e1", "lag-L1", "lag-S1"));
        Assert.Equal(HttpStatusCode.Accepted, first.Status);

        var clock = Stopwatch.StartNew();
        var (refused, attempt) = await PostUntilRefusedAsync(engine.BaseAddress, a => Lines.Listing($"lag-r{a}", $"lag-refused-L{a}", "lag-refused-S"), TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("Engine behind", refused.Answer!["title"]!.GetValue<string>());
        Assert.Contains("(bound 1 s, Ingest:MaxStoredLagSeconds)", refused.Answer["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, refused.Answer["retryAfterSeconds"]!.GetValue<int>());
        var refusedId = $"lag-refused-L{attempt}";

        // Once a checkpoint covers what was acknowledged, ingest accepts again by itself.
        (HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Answer) reopened = default;
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(250);
            reopened = await Lines.PostAsync(engine.BaseAddress, Lines.Listing("lag-after", "lag-after-L", "lag-S1"));
            if (reopened.Status == HttpStatusCode.Accepted)
            {
                break;
            }
        }

        Assert.Equal(HttpStatusCode.Accepted, reopened.Status);
        await engine.Tables.WaitSettledAsync(TimeSpan.FromSeconds(60));
        var stored = await engine.Tables.StoredEntitiesAsync("lag-");
        Assert.Contains(stored.Keys, k => k.Id == "lag-after-L");
        Assert.DoesNotContain(stored.Keys, k => k.Id == refusedId);
    }

    [Fact]
    public async Task Ingest_answers_503_while_rows_appended_without_a_wake_wait_past_the_bound()
    {
        // Rows another process appends straight to the journal wake no reader and signal no gate: the silo finds them
        // only by polling. Its stored-lag gate leaves a settled partition it reads to the reader's idle poll, so the
        // rows the poll finds must close the gate as rows acknowledged by ingest would. The journal is empty until then
        // (every partition settled, every reader resting); checkpoints on 5-minute boundaries keep the rows waiting.
        await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Consumers:CheckpointInterval"] = "00:05:00",
            ["Ingest:MaxStoredLagSeconds"] = "1",
            ["Ingest:StoredLagPollMilliseconds"] = "100",
            ["Ingest:RetryAfterSeconds"] = "1",
        });
        var journal = new TableEventJournal(new TableEventJournalOptions { ConnectionString = engine.Azurite.ConnectionString }, TimeProvider.System, NullLogger<TableEventJournal>.Instance);
        var rows = Enumerable.Range(1, 20)
            .Select(i => (IntegrityEvent)new ListingCreated($"nowake-{i}", DateTimeOffset.UtcNow, $"nowake-L{i}", $"nowake-S{i}", "Desk lamp", "LED, dimmable.", null, "lamps", 35.0m, "EUR"))
            .ToList();
        await journal.AppendAsync(rows, CancellationToken.None);

        var (answer, _) = await PostUntilRefusedAsync(engine.BaseAddress, a => Lines.Listing($"nowake-r{a}", $"nowake-R{a}", "nowake-S"), TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Equal("Engine behind", answer.Answer!["title"]!.GetValue<string>());
    }

    /// <summary>Posts a new line (numbered from 1) every 100 ms until ingest refuses one or <paramref name="within"/> passes; the last answer and its number.</summary>
    private static async Task<((HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Answer) Answer, int Attempt)> PostUntilRefusedAsync(Uri baseAddress, Func<int, string> line, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        (HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Answer) answer = default;
        var attempt = 0;
        while (clock.Elapsed < within)
        {
            attempt++;
            answer = await Lines.PostAsync(baseAddress, line(attempt));
            if (answer.Status == HttpStatusCode.ServiceUnavailable) break;
            await Task.Delay(100);
        }

        return (answer, attempt);
    }

    [Fact]
    public async Task A_silo_refuses_ingest_while_rows_another_silo_acknowledged_wait_past_the_bound()
    {
        // Two silos of one cluster; checkpoints on 5-minute boundaries, so none is expected while the test looks (and a
        // round in which one happened anyway is void and repeated), and a 1 s bound.
        await using var cluster = await HostCluster.StartAsync(2, "gate", c =>
        {
            c["Consumers:CheckpointInterval"] = "00:05:00";
            c["Ingest:MaxStoredLagSeconds"] = "1";
            c["Ingest:StoredLagPollMilliseconds"] = "100";
            c["Ingest:RetryAfterSeconds"] = "1";
        });
        var tables = cluster.Tables;
        var clock = Stopwatch.StartNew();
        for (var round = 1; ; round++)
        {
            Assert.True(round <= 3, "a checkpoint came round in every attempt");
            var before = await tables.ProgressAsync();

            // Silo A acknowledges rows until its own gate closes on them: they now wait past the bound.
            var closedOnA = false;
            for (var attempt = 0; !closedOnA && clock.Elapsed < TimeSpan.FromSeconds(60 * round); attempt++)
            {
                var answer = await Lines.PostAsync(cluster[0].BaseAddress, Lines.Listing($"gate-{round}-{attempt}", $"gate-L{round}-{attempt}", "gate-S"));
                closedOnA = answer.Status == HttpStatusCode.ServiceUnavailable;
                if (!closedOnA)
                {
                    Assert.Equal(HttpStatusCode.Accepted, answer.Status);
                    await Task.Delay(100);
                }
            }

            Assert.True(closedOnA, "silo A never refused");

            // Silo B has acknowledged nothing itself; it sees A's rows in the journal and refuses too.
            var onB = await Lines.PostAsync(cluster[1].BaseAddress, Lines.Listing($"gate-b-{round}", $"gate-B{round}", "gate-S"));
            var after = await tables.ProgressAsync();
            if (after.Zip(before).Any(p => p.First.Checkpoint != p.Second.Checkpoint))
            {
                continue;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, onB.Status);
            Assert.Equal("Engine behind", onB.Answer!["title"]!.GetValue<string>());
            return;
        }
    }
}
