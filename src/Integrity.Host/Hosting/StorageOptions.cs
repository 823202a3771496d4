using System.ComponentModel.DataAnnotations;

namespace Integrity.Host.Hosting;

/// <summary>Where Integrity keeps its state. With no connection string the host starts its own local Azurite.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Azure Storage connection string; Azurite's or a real account's.</summary>
    [Required]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Grain state in a storage account of its own (or an Azurite of its own); unset, it shares
    /// <see cref="ConnectionString"/>. Checkpoints write every entity touched since the last one, a request each, so
    /// apart from the journal the ingest appends and the consumers' reads do not queue behind them.
    /// </summary>
    public string? GrainStateConnectionString { get; set; }

    /// <summary>DI key of the Table client on <see cref="GrainStateConnectionString"/>, registered only when it is set.</summary>
    public const string GrainStateServiceKey = "grain-state";

    /// <summary>Where grain state is kept: <see cref="GrainStateConnectionString"/>, or the shared account.</summary>
    public string? EffectiveGrainStateConnectionString =>
        string.IsNullOrWhiteSpace(GrainStateConnectionString) ? ConnectionString : GrainStateConnectionString;

    /// <summary>Table for grain state, written by Orleans' AzureTableGrainStorage.</summary>
    [Required]
    public string GrainStateTable { get; set; } = Orleans.Hosting.GrainStateSiloBuilderExtensions.DefaultTableName;

    /// <summary>Table of Orleans reminders (override expiries), on the grain-state account.</summary>
    [Required]
    public string ReminderTable { get; set; } = Orleans.Hosting.RemindersSiloBuilderExtensions.DefaultTableName;

    /// <summary>Orleans ServiceId; part of every grain-state PartitionKey, so keep it stable across deployments.</summary>
    [Required]
    public string ServiceId { get; set; } = "integrity";

    [Required]
    public string ClusterId { get; set; } = "integrity-local";
}
