using Integrity.Contracts;
using Integrity.Domain.Coverage;
using Integrity.Domain.Tests.Fixtures;
using Integrity.Grains.Policy;
using Integrity.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Integrity.Engine.Tests;

/// <summary>
/// What the platform sends, observed on one silo, reaches every silo through the deployment's coverage grain, and is
/// stored: coverage is a fact about the deployment, not about whichever silo's consumer saw the first order.
/// </summary>
public sealed class EvidenceCoverageClusterTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private InProcessTestCluster? _cluster;

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        // Observed, as deployed: none of the tests' "everything sent" declarations.
        var settings = TestCoverage.AllSent.Keys.ToDictionary(k => k, _ => (string?)null);
        settings["Coverage:RefreshInterval"] = "00:00:00.200";
        _cluster = await EngineFixture.StartClusterAsync(_azurite.ConnectionString, 2, settings);
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task Orders_one_silo_delivers_count_as_sent_on_the_other_and_the_count_is_stored()
    {
        var trackers = Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<EvidenceCoverageTracker>()).ToList();
        Assert.All(trackers, t => Assert.False(t.Current.IsSent(EvidenceSource.Orders)));

        var b = new ScenarioBuilder();
        trackers[0].Observe([b.Order("O-1", "L-1", "S-1", "C-1")]);
        Assert.True(trackers[0].Current.IsSent(EvidenceSource.Orders)); // at once where it was delivered

        await WaitUntilAsync(() => trackers[1].Current.IsSent(EvidenceSource.Orders), "the other silo learns the platform sends orders");
        Assert.Empty(trackers[1].Current.Missing(Domain.Policy.ReasonCodes.Brushing));

        // The total survives the grain's activation: read back from storage.
        var grain = Cluster.Client.GetGrain<IEvidenceCoverageGrain>(IEvidenceCoverageGrain.Key);
        await Cluster.DeactivateAsync(grain);
        var stored = await grain.AddAsync(EvidenceTally.Empty);
        Assert.Equal(1, stored[EvidenceSource.Orders].Events);
        Assert.Equal(b.Now, stored[EvidenceSource.Orders].FirstAt);

        // Counts add up across silos without counting twice.
        trackers[1].Observe([b.Advance(TimeSpan.FromHours(1)).Order("O-2", "L-1", "S-1", "C-2")]);
        await WaitUntilAsync(() => trackers.All(t => t.Current.Tally()[EvidenceSource.Orders].Events == 2), "both silos count both orders, once each");
        Assert.Equal(2, (await grain.AddAsync(EvidenceTally.Empty))[EvidenceSource.Orders].Events);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"not within 30 s: {what}");
            await Task.Delay(50);
        }
    }
}
