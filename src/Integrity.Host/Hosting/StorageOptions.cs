using System.ComponentModel.DataAnnotations;
using Integrity.Azurite;
using Integrity.Storage.AzureTables.GrainStorage;

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

    /// <summary>Table for grain state (same layout as Orleans' AzureTableGrainStorage).</summary>
    [Required]
    public string GrainStateTable { get; set; } = "IntegrityGrainState";

    /// <summary>
    /// Tables grain-state rows are spread over (same row layout in each; shard <c>i</c> is <see cref="GrainStateTable"/>
    /// followed by <c>i</c> in two digits). Unset: <see cref="EmulatorGrainStateTableCount"/> on Azurite, whose cost per
    /// write grows with the rows of a kind in one table, and 1 on a real account, where that cost is flat and one table
    /// keeps the data readable by Orleans' official provider without a migration. Fixed for a deployment: rows written
    /// under another count are not found.
    /// </summary>
    [Range(1, GrainStateTables.MaxCount)]
    public int? GrainStateTableCount { get; set; }

    public const int EmulatorGrainStateTableCount = 16;

    /// <summary>The table count in force: <see cref="GrainStateTableCount"/>, or its default for this account.</summary>
    public int EffectiveGrainStateTableCount =>
        GrainStateTableCount ?? (AzuriteConnectionString.IsDevelopmentAccount(EffectiveGrainStateConnectionString) ? EmulatorGrainStateTableCount : 1);

    /// <summary>Grain state JSON stored gzipped (same row layout): several times fewer bytes for storage to take at each checkpoint.</summary>
    public bool CompressGrainState { get; set; } = true;

    /// <summary>Orleans ServiceId; part of every grain-state PartitionKey, so keep it stable across deployments.</summary>
    [Required]
    public string ServiceId { get; set; } = "integrity";

    [Required]
    public string ClusterId { get; set; } = "integrity-local";
}
