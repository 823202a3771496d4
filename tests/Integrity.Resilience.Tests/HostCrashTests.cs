using System.Diagnostics;
using Xunit.Abstractions;

namespace Integrity.Resilience.Tests;

/// <summary>SIGKILL of the host process in the middle of a load: every event answered 202 is applied exactly once.</summary>
public sealed class HostCrashTests(ITestOutputHelper output)
{
    private const int Events = 100_000;
    private const int Workers = 4;

    [Fact]
    public async Task Killing_the_host_mid_load_loses_no_accepted_event_and_applies_none_twice()
    {
        // The staleness gate is off here (its own test is StoredLagTests): it answers 503 at once while stored state is
        // behind, so the kill would rarely meet a request in the middle of its journal write, which is the case at stake.
        await using var engine = await EngineUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["Consumers:CheckpointInterval"] = "00:00:01",
            ["Ingest:MaxStoredLagSeconds"] = "3600",
        });
        var market = Loads.Market("crash", sellers: 300, Events);
        using var sender = Loads.Sender(engine.BaseAddress, Workers, batch: 1000, Events, TimeSpan.FromSeconds(240), TimeSpan.FromSeconds(270));
        var clock = Stopwatch.StartNew();
        var load = sender.RunAsync(market.Events);

        // Kill once a good part is accepted and the consumers are applying (and checkpointing) behind it.
        while (sender.Ledger.Count < 35_000 && !load.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(20);
        }

        Assert.False(load.IsCompleted, "the load ended before the host could be killed mid-way");

        // The case at stake is a kill that meets a request the host is still working on: kill while one is under way
        // (sent, not yet answered), not whenever the count is reached (workers spend much of their time building batches).
        int inFlight;
        while ((inFlight = sender.InFlight) == 0 && !load.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(150))
        {
            await Task.Yield();
        }

        Assert.True(inFlight > 0, "no request was under way before the load ended");
        var acceptedBeforeKill = sender.Ledger.Count;
        await engine.KillHostAsync();
        var killedAt = clock.Elapsed;

        // Read after the kill, not before it: nothing moves the tables now, and a read under the load (Azurite busy) once
        // took long enough for the rest of the load to finish, leaving no request to kill in the middle of.
        var progressAtKill = await engine.Tables.ProgressAsync();

        // Requests under way when the host died get no answer: those events may or may not have been stored.
        await Task.Delay(1500);
        var unanswered = sender.Ledger.UncertainEventIds();
        var journaled = await engine.Tables.JournaledEventIdsAsync();
        var storedWithout202 = unanswered.Count(journaled.ContainsKey);

        await engine.StartHostAsync(TimeSpan.FromSeconds(90));
        sender.Target = engine.BaseAddress;
        await load;
        var sent = clock.Elapsed;
        var settle = await engine.Tables.WaitSettledAsync(TimeSpan.FromSeconds(180));
        var stored = await engine.Tables.StoredEntitiesAsync("-crash-");
        var journaledAfter = await engine.Tables.JournaledEventIdsAsync();

        output.WriteLine($"accepted {sender.Ledger.Count:N0} events ({acceptedBeforeKill:N0} before the kill at {killedAt.TotalSeconds:0.0}s); " +
            $"checkpoints at the kill: {string.Join(", ", progressAtKill.Select(p => $"{p.Checkpoint}/{p.Head}"))}");
        output.WriteLine($"unanswered at the kill: {unanswered.Count:N0} events, of which {storedWithout202:N0} were stored without their 202; " +
            $"{sender.Stats.Totals().Retries:N0} requests resent; transport errors {sender.Stats.Totals().TransportErrors}; " +
            $"journaled twice {journaledAfter.Values.Count(c => c > 1):N0}; load done at {sent.TotalSeconds:0.0}s, settled {settle.TotalSeconds:0.0}s later");
        output.WriteLine($"entities checked {sender.Ledger.PerEntity().Count:N0}, stored {stored.Count:N0}");

        Assert.Empty(sender.Stats.Problems());
        Assert.Equal(Events, sender.Ledger.Count);
        Assert.Empty(sender.Ledger.UncertainEventIds());
        Ledgers.AssertExactlyOnce(sender.Ledger, stored);
    }
}
