using Integrity.Host.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Integrity.Engine.Tests;

/// <summary>The silo's one composition root: every options type is bound and validated at start, the same way.</summary>
public sealed class CompositionTests
{
    [Fact]
    public async Task A_silo_with_invalid_settings_fails_to_start_naming_every_problem_with_its_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Nothing listens here: a silo that got as far as storage would fail differently.
            ["Storage:ConnectionString"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;",
            ["JournalStream:MaxRowsPerRead"] = "0",
            ["Consumers:CheckpointInterval"] = "-00:00:01",
            ["Journal:PartitionCount"] = "0",
            ["Policy:Signals:REVIEW_BURST:Weight"] = "-1",
            ["ShadowPolicy:Version"] = "candidate-bad",
            ["ShadowPolicy:Listing:Suppressed"] = "10",
            ["PolicyPromotion:RefreshInterval"] = "00:00:00",
        }).Build();
        using var host = new HostBuilder()
            .UseOrleans(silo => silo.UseLocalhostClustering().AddIntegrity(configuration))
            .Build();

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        var problems = failure is AggregateException many ? many.InnerExceptions : [failure];
        Assert.All(problems, p => Assert.IsType<OptionsValidationException>(p));
        var said = string.Join("\n", problems.Select(p => p.Message));
        Assert.Contains("JournalStream: MaxRowsPerRead", said, StringComparison.Ordinal);
        Assert.Contains("Consumers: CheckpointInterval", said, StringComparison.Ordinal);
        Assert.Contains("Journal: PartitionCount", said, StringComparison.Ordinal);
        Assert.Contains("Signals:REVIEW_BURST:Weight", said, StringComparison.Ordinal);
        Assert.Contains("ShadowPolicy: Listing:Suppressed: must be above Listing:Flagged", said, StringComparison.Ordinal);
        Assert.Contains("PolicyPromotion: RefreshInterval", said, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, IntegritySiloBuilderExtensions.DefaultDirectoryCacheSize)]
    [InlineData("2500000", 2_500_000)]
    public void The_directory_cache_is_sized_for_an_idle_silo_unless_configured(string? configured, int expected)
    {
        // Orleans' own default (1,000,000) costs an idle silo a walk of a dictionary that large every second.
        Assert.NotEqual(IntegritySiloBuilderExtensions.DefaultDirectoryCacheSize, new GrainDirectoryOptions().CacheSize);
        var settings = new Dictionary<string, string?>();
        if (configured is not null)
        {
            settings["Cluster:Directory:CacheSize"] = configured;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var host = new HostBuilder()
            .UseOrleans(silo => silo.UseLocalhostClustering().AddIntegrity(configuration))
            .Build();

        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CacheSize);
    }
}
