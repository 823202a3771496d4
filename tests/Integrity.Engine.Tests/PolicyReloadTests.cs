using Integrity.Domain.Policy;
using Integrity.Grains.Policy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integrity.Engine.Tests;

public sealed class PolicyReloadTests
{
    private static (ServiceProvider Services, IConfigurationRoot Configuration) Build(Dictionary<string, string?> settings)
    {
        var source = new ReloadableSource(settings);
        var configuration = new ConfigurationBuilder().Add(source).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IPolicyProvider, ConfiguredPolicyProvider>();
        services.AddOptions<PolicyOptions>().Bind(configuration.GetSection(ConfiguredPolicyProvider.Section));
        return (services.BuildServiceProvider(), configuration);
    }

    [Fact]
    public void Policy_from_configuration_overrides_defaults_and_reloads_without_restart()
    {
        var (services, configuration) = Build(new() { ["Policy:Version"] = "v1", ["Policy:Signals:REVIEW_BURST:Weight"] = "0.5" });
        var provider = services.GetRequiredService<IPolicyProvider>();
        Assert.Equal("v1", provider.Current.Version);
        Assert.Equal(0.5, provider.Current.Rule(ReasonCodes.ReviewBurst).Weight);

        configuration["Policy:Version"] = "v2";
        configuration["Policy:Signals:REVIEW_BURST:Weight"] = "0.7";
        configuration.Reload();

        Assert.Equal("v2", provider.Current.Version);
        Assert.Equal(0.7, provider.Current.Rule(ReasonCodes.ReviewBurst).Weight);
    }

    [Fact]
    public void An_invalid_reload_is_refused_and_the_last_valid_policy_stays()
    {
        var (services, configuration) = Build(new() { ["Policy:Version"] = "v1" });
        var provider = services.GetRequiredService<IPolicyProvider>();

        configuration["Policy:Version"] = "v-bad";
        configuration["Policy:Signals:REVIEW_BURST:Weight"] = "7";
        configuration.Reload();

        Assert.Equal("v1", provider.Current.Version);
    }

    [Fact]
    public void An_invalid_policy_at_start_fails_naming_the_key()
    {
        var (services, _) = Build(new() { ["Policy:Signals:REVIEW_BURST:Weight"] = "-1" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IPolicyProvider>());

        Assert.Contains("Signals:REVIEW_BURST:Weight", error.Message, StringComparison.Ordinal);
    }

    private sealed class ReloadableSource(Dictionary<string, string?> initial) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(initial);

        private sealed class Provider(Dictionary<string, string?> initial) : ConfigurationProvider
        {
            // Values set through the configuration stay across Reload(), which then signals the change like a file edit.
            public override void Load()
            {
                if (Data.Count == 0)
                {
                    Data = new Dictionary<string, string?>(initial, StringComparer.OrdinalIgnoreCase);
                }
            }
        }
    }
}
