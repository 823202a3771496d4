using System.Text.Json;
using Azure.Data.Tables;
using Integrity.LoadTests.Evaluation;

namespace Integrity.LoadTests.Probes;

/// <summary>
/// Every decision in the engine's audit trail, read from its by-time table (one row per decision or action, its
/// <c>Details</c> the decision JSON, <c>RecordedAt</c> the wall-clock time the engine decided). Used when the harness
/// self-hosts the engine and can reach its storage.
/// </summary>
public sealed class AuditTrailDecisions(string connectionString, string tableName = "AuditByTime")
{
    private readonly TableServiceClient _service = new(connectionString);

    public async IAsyncEnumerable<DecisionInfo> ReadAsync(DateTimeOffset since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // No table yet: the engine has not decided anything.
        var exists = false;
        await foreach (var _ in _service.QueryAsync(t => t.Name == tableName, cancellationToken: cancellationToken)) exists = true;
        if (!exists) yield break;

        var table = _service.GetTableClient(tableName);
        await foreach (var row in table.QueryAsync<TableEntity>("Kind eq 'decision' or Kind eq 'action'", cancellationToken: cancellationToken))
        {
            var details = row.GetString("Details");
            if (details is null) continue;
            using var json = JsonDocument.Parse(details);
            if (DecisionJson.Read(json.RootElement, row.GetDateTimeOffset("RecordedAt")) is { } d && d.At >= since) yield return d;
        }
    }
}
