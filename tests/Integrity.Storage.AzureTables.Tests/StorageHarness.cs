using System.Diagnostics.CodeAnalysis;
using Integrity.Storage.AzureTables.GrainStorage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Integrity.Storage.AzureTables.Tests;

/// <summary>A provider instance on its own table, initialized the way the silo lifecycle does it.</summary>
internal static class StorageHarness
{
    public const string ServiceId = "conformance";

    public static async Task<TableGrainStorage> CreateAsync(string connectionString, Action<TableGrainStorageOptions>? configure = null)
    {
        var options = new TableGrainStorageOptions
        {
            ConnectionString = connectionString,
            TableName = Integrity.Testing.UniqueNames.Table("state"),
            RetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        };
        configure?.Invoke(options);
        var storage = new TableGrainStorage(
            "Default",
            options,
            Options.Create(new ClusterOptions { ServiceId = ServiceId, ClusterId = "test" }),
            NullLogger<TableGrainStorage>.Instance);
        await storage.InitializeAsync(CancellationToken.None);
        return storage;
    }
}

/// <summary>The state used by the conformance tests: strings, numbers, a list and a dictionary.</summary>
public sealed class SampleState
{
    public string Name { get; set; } = "";

    public long Count { get; set; }

    public List<string> Tags { get; set; } = [];

    public Dictionary<string, int> Scores { get; set; } = [];

    public string Payload { get; set; } = "";
}

/// <summary>A state with the id and counter <see cref="GrainStateCounterReader"/> reads (as a seller's state has them).</summary>
public sealed class CountedState
{
    public string SellerId { get; set; } = "";

    public long EventsApplied { get; set; }
}

/// <summary>An <see cref="IGrainState{T}"/> whose state is never null, as a grain's persistent state is.</summary>
public sealed class StoredState<T>(T state) : IGrainState<T>
    where T : new()
{
    public StoredState()
        : this(new T())
    {
    }

    private T _state = state;

    [AllowNull]
    public T State
    {
        get => _state;
        set => _state = value ?? new T();
    }

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }
}
