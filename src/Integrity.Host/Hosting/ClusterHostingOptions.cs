using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Integrity.Host.Hosting;

/// <summary>
/// Where this silo listens and how it finds the others. Membership is kept in Azure Table storage on the engine's
/// account (<see cref="MembershipTable"/>); silos with the same <c>Storage:ClusterId</c> form one cluster. Several silos
/// on one machine need distinct ports.
/// </summary>
public sealed class ClusterHostingOptions : IValidatableObject
{
    public const string Section = "Cluster";

    /// <summary>Port for silo-to-silo traffic.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at; loopback by default (one machine).</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Table of the cluster's membership.</summary>
    [Required]
    public string MembershipTable { get; set; } = Orleans.Hosting.ClusteringSiloBuilderExtensions.DefaultTableName;

    public IPAddress Address => IPAddress.Parse(AdvertisedAddress);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return new ValidationResult($"Cluster:AdvertisedAddress '{AdvertisedAddress}' is not an IP address", [nameof(AdvertisedAddress)]);
        }

        if (SiloPort == GatewayPort)
        {
            yield return new ValidationResult($"Cluster:SiloPort and Cluster:GatewayPort must differ (both {SiloPort})", [nameof(SiloPort), nameof(GatewayPort)]);
        }
    }
}
