using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Integrity.Api.Tests.Generated;
using Integrity.Testing;

namespace Integrity.Api.Tests;

/// <summary>
/// The API called through a client NSwag generated from docs/openapi/v1.json (at build, see the project file), as a
/// platform that knows only the document would: if the document said something the API does not do, these fail.
/// </summary>
[Collection(ApiHostCollection.Name)]
public sealed class GeneratedClientTests(ApiHostFixture host)
{
    [Fact]
    public async Task Generated_client_ingests_a_batch_and_reads_the_seller_it_stepped_up()
    {
        var scenario = new Scenarios("nswag").Brushing();
        using var ingestHttp = host.Client(TestSecrets.IngestKey);
        var ingest = new IntegrityApiClient(ingestHttp);

        var answer = await ingest.IngestEventsAsync([.. scenario.Lines.Select(l => JsonNode.Parse(l)!)]);

        Assert.Equal(scenario.Lines.Count, answer.Accepted);
        Assert.Empty(answer.Rejected);
        using var viewerHttp = host.Client(TestSecrets.ViewerKey);
        var viewer = new IntegrityApiClient(viewerHttp);
        var seller = await EventuallyAsync(() => viewer.GetSellerAsync(scenario.Seller), s => s.Level >= 3, TimeSpan.FromSeconds(60));
        Assert.Equal("seller", seller.Kind);
        Assert.Equal(scenario.Seller, seller.Id);
        Assert.Contains(seller.Reasons, r => r.Code.StartsWith("BRUSHING", StringComparison.Ordinal));
        var page = await viewer.ListDecisionsAsync("seller", null, null, null, "50", null);
        Assert.Contains(page.Items, d => d.EntityId == scenario.Seller);
    }

    [Fact]
    public async Task Generated_client_without_a_key_gets_the_documented_401_problem()
    {
        using var http = host.Client(apiKey: null);
        var client = new IntegrityApiClient(http);

        var refused = await Assert.ThrowsAsync<IntegrityApiException<ProblemDetails>>(() => client.GetSellerAsync(host.Seller));

        Assert.Equal((int)HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("An API key is required", refused.Result.Detail, StringComparison.Ordinal);
        var health = await client.GetHealthAsync();
        Assert.Equal("healthy", health.Status);
    }

    [Fact]
    public async Task Generated_client_with_a_key_of_another_role_gets_the_documented_403_problem()
    {
        using var http = host.Client(TestSecrets.ViewerKey);
        var client = new IntegrityApiClient(http);

        var refused = await Assert.ThrowsAsync<IntegrityApiException<ProblemDetails>>(() => client.IngestEventsAsync([]));

        Assert.Equal((int)HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("role 'ingest'", refused.Result.Detail, StringComparison.Ordinal);
    }

    /// <summary>Calls until the answer satisfies <paramref name="done"/>; a 404 (not applied yet) is waited out.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> call, Func<T, bool> done, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var answer = await call();
                if (done(answer) || waited.Elapsed > timeout)
                {
                    return answer;
                }
            }
            catch (IntegrityApiException e) when (e.StatusCode == (int)HttpStatusCode.NotFound && waited.Elapsed < timeout)
            {
            }

            await Task.Delay(250);
        }
    }
}
