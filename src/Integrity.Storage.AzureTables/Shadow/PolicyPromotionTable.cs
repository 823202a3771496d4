using System.Text.Json;
using Azure.Data.Tables;
using Integrity.Contracts.Services;
using Integrity.Domain.Policy;

namespace Integrity.Storage.AzureTables.Shadow;

/// <summary>
/// The last promotion of a candidate policy: one row (PartitionKey <c>policy</c>, RowKey <c>active</c>) with the
/// promoted policy's whole content as JSON (the shape of the <c>Policy</c> configuration section), the version it
/// replaced, who and when. Every silo reads it at start and then at an interval; the history is in the audit trail.
/// </summary>
public sealed class PolicyPromotionTable(TableServiceClient service, string tableName = "PolicyPromotions") : IPolicyPromotionStore
{
    private const string Partition = "policy";
    private const string Row = "active";

    private readonly TableClient _table = service.GetTableClient(tableName);

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => _table.CreateIfNotExistsAsync(cancellationToken);

    public async Task<PolicyPromotion?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var found = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
        if (!found.HasValue || found.Value is not { } row)
        {
            return null;
        }

        var policy = JsonSerializer.Deserialize<PolicyOptions>(row.GetString("Policy") ?? "{}")
            ?? throw new InvalidDataException("The stored promotion holds no policy.");
        return new PolicyPromotion(row.GetString("Version") ?? "", row.GetString("ReplacedVersion") ?? "", policy,
            row.GetDateTimeOffset("At") ?? default, row.GetString("Actor") ?? "", row.GetString("Note"));
    }

    public Task WriteAsync(PolicyPromotion promotion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promotion);
        var row = new TableEntity(Partition, Row)
        {
            ["Version"] = promotion.Version,
            ["ReplacedVersion"] = promotion.ReplacedVersion,
            ["Policy"] = JsonSerializer.Serialize(promotion.Policy),
            ["At"] = promotion.At,
            ["Actor"] = promotion.Actor,
            ["Note"] = promotion.Note,
        };
        return _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }
}
