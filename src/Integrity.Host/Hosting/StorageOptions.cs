using System.ComponentModel.DataAnnotations;

namespace Integrity.Host.Hosting;

/// <summary>Where Integrity keeps its state. With no connection string the host starts its own local Azurite.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Azure Storage connection string; Azurite's or a real account's.</summary>
    [Required]
    public string? ConnectionString { get; set; }

    /// <summary>Table for grain state (same layout as Orleans' AzureTableGrainStorage).</summary>
    [Required]
    public string GrainStateTable { get; set; } = "IntegrityGrainState";

    /// <summary>Grain state JSON stored gzipped (same row layout): several times fewer bytes for storage to take at each checkpoint.</summary>
    public bool CompressGrainState { get; set; } = true;

    /// <summary>Orleans ServiceId; part of every grain-state PartitionKey, so keep it stable across deployments.</summary>
    [Required]
    public string ServiceId { get; set; } = "integrity";

    [Required]
    public string ClusterId { get; set; } = "integrity-local";
}
