using System.Net;
using Integrity.Host.Apis;
using Integrity.Host.Hosting;
using Integrity.Storage.AzureTables.DeadLetters;
using Integrity.Storage.AzureTables.Journal;
using Integrity.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integrity.Ingestion.Tests;

/// <summary>
/// The host's ingest side (security, journal, dead letters, POST /v1/events) wired exactly as Program.cs wires it,
/// on a free 127.0.0.1 port over real HTTP, without the Orleans silo (which is not involved in ingest).
/// </summary>
public sealed class IngestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IngestApp(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public IServiceProvider Services => _app.Services;

    public TableEventJournal Journal => _app.Services.GetRequiredService<TableEventJournal>();

    public DeadLetterTable DeadLetters => _app.Services.GetRequiredService<DeadLetterTable>();

    /// <summary>
    /// Configuration on top of <see cref="TestSecrets.HostConfiguration"/>; a null value removes a setting. With
    /// <paramref name="logs"/>, the app logs to it from Information up (the host's own filters still apply).
    /// </summary>
    public static async Task<IngestApp> StartAsync(string connectionString, IDictionary<string, string?>? settings = null, TextWriter? console = null, bool withTestKeys = true, ILoggerProvider? logs = null)
    {
        var configuration = new Dictionary<string, string?> { ["Storage:ConnectionString"] = connectionString };
        if (withTestKeys)
        {
            foreach (var (key, value) in TestSecrets.HostConfiguration)
            {
                configuration[key] = value;
            }
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(configuration.Where(p => p.Value is not null));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        }

        builder.AddIntegritySecurity(console ?? TextWriter.Null);
        builder.AddIntegrityIngestion();

        var app = builder.Build();
        app.UseIntegritySecurity();
        app.MapIngestApi();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new IngestApp(app, new Uri(address));
    }

    public HttpClient Client(string? apiKey = TestSecrets.IngestKey)
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return http;
    }

    /// <summary>Every event in the journal, all partitions, in sequence order per partition.</summary>
    public async Task<List<JournalRow>> ReadAllRowsAsync()
    {
        var rows = new List<JournalRow>();
        for (var p = 0; p < Journal.PartitionCount; p++)
        {
            long after = 0;
            while (true)
            {
                var page = await Journal.ReadAsync(p, after, 100, CancellationToken.None);
                if (page.Count == 0)
                {
                    break;
                }

                rows.AddRange(page);
                after = page[^1].Sequence;
            }
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
