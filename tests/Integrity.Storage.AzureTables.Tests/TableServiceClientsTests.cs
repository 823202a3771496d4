using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Integrity.Testing;

namespace Integrity.Storage.AzureTables.Tests;

/// <summary>
/// The engine's Table clients sign with a shared access signature derived from the account key, never with the key
/// itself (the SDK's shared-key signing leaves a finalizable HMAC behind per request), and still read and write.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableServiceClientsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_client_from_a_keyed_connection_string_signs_every_request_with_a_derived_signature()
    {
        var seen = new RequestRecorder();
        var options = new TableClientOptions();
        options.AddPolicy(seen, HttpPipelinePosition.PerRetry);
        var table = TableServiceClients.Create(azurite.ConnectionString, options).GetTableClient(UniqueNames.Table("sas"));

        await table.CreateIfNotExistsAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "r") { ["Value"] = 7 });
        var read = await table.GetEntityAsync<TableEntity>("p", "r");

        Assert.Equal(7, read.Value.GetInt32("Value"));
        Assert.Equal(3, seen.Requests.Count);
        Assert.All(seen.Requests, r =>
        {
            Assert.Null(r.Authorization);
            Assert.Contains("sig=", r.Query, StringComparison.Ordinal);
            Assert.Contains("ss=t", r.Query, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_connection_string_that_carries_its_own_signature_is_used_as_it_is()
    {
        var keyed = new TableServiceClient(azurite.ConnectionString);
        var sas = keyed.GenerateSasUri(Azure.Data.Tables.Sas.TableAccountSasPermissions.All, Azure.Data.Tables.Sas.TableAccountSasResourceTypes.All, DateTimeOffset.UtcNow.AddHours(1));
        var connection = $"TableEndpoint={keyed.Uri};SharedAccessSignature={sas.Query.TrimStart('?')}";
        var seen = new RequestRecorder();
        var options = new TableClientOptions();
        options.AddPolicy(seen, HttpPipelinePosition.PerRetry);

        var table = TableServiceClients.Create(connection, options).GetTableClient(UniqueNames.Table("own"));
        await table.CreateIfNotExistsAsync();

        var request = Assert.Single(seen.Requests);
        Assert.Null(request.Authorization);
        Assert.Contains(sas.Query.TrimStart('?').Split('&').Single(p => p.StartsWith("sig=", StringComparison.Ordinal)), request.Query, StringComparison.Ordinal);
    }

    /// <summary>Records the query and Authorization header of every request the client sends.</summary>
    private sealed class RequestRecorder : HttpPipelineSynchronousPolicy
    {
        public List<(string Query, string? Authorization)> Requests { get; } = [];

        public override void OnSendingRequest(HttpMessage message)
        {
            lock (Requests)
            {
                Requests.Add((message.Request.Uri.Query, message.Request.Headers.TryGetValue("Authorization", out var auth) ? auth : null));
            }
        }
    }
}
