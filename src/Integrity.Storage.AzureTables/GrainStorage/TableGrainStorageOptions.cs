using System.Text.Json;

namespace Integrity.Storage.AzureTables.GrainStorage;

/// <summary>Options of one named Table-storage grain storage provider.</summary>
public sealed class TableGrainStorageOptions
{
    public const string DefaultTableName = "OrleansGrainState";

    /// <summary>Azure Storage connection string (Azurite or a real account). Required.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Table holding the grain state rows.</summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>
    /// Tables the rows are spread over (1–64, default 1: <see cref="TableName"/> alone). With more, shard <c>i</c> is
    /// <see cref="TableName"/> followed by <c>i</c> in two digits. Fixed for a deployment; see <see cref="GrainStateTables"/>.
    /// </summary>
    public int TableCount { get; set; } = 1;

    /// <summary>When true, clearing state deletes the row; otherwise an empty row is written (the official provider's default).</summary>
    public bool DeleteStateOnClear { get; set; }

    /// <summary>Attempts after the first for transient failures (timeouts, 5xx, refused connections).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First retry delay; later delays grow exponentially with jitter up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Per-request network timeout.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Silo lifecycle stage at which the table is created.</summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>
    /// Store the state's JSON gzipped in the same Data…Data14 columns (reads accept both forms). Off by default, as in
    /// Orleans' provider; a deployment that switches to the official package while this is on gives it a serializer
    /// that gunzips before its JSON one.
    /// </summary>
    public bool CompressState { get; set; }

    /// <summary>How grain state is written as JSON: no type names; camelCase by default.</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);
}
