using Azure.Data.Tables;

namespace Integrity.Storage.AzureTables.GrainStorage;

/// <summary>Fails silo start with a clear message when the provider's options cannot work.</summary>
public sealed class TableGrainStorageOptionsValidator(TableGrainStorageOptions options, string name) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        var problems = Validate(options).ToList();
        if (problems.Count > 0)
        {
            throw new OrleansConfigurationException(
                $"Table grain storage '{name}' is misconfigured: {string.Join("; ", problems)}");
        }
    }

    public static IEnumerable<string> Validate(TableGrainStorageOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            yield return "ConnectionString is required";
        }
        else
        {
            string? error = null;
            try
            {
                _ = new TableServiceClient(options.ConnectionString);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                error = $"ConnectionString is not a valid storage connection string ({e.Message})";
            }

            if (error is not null)
            {
                yield return error;
            }
        }

        if (!TableNameRules.IsValid(options.TableName))
        {
            yield return $"TableName '{options.TableName}' must be 3-63 letters or digits and start with a letter";
        }

        if (options.TableCount is < 1 or > GrainStateTables.MaxCount)
        {
            yield return $"TableCount must be between 1 and {GrainStateTables.MaxCount}, got {options.TableCount}";
        }
        else if (options.TableCount > 1 && TableNameRules.IsValid(options.TableName) && !TableNameRules.IsValid(options.TableName + "00"))
        {
            yield return $"TableName '{options.TableName}' leaves no room for the two-digit shard suffix TableCount {options.TableCount} adds (at most 61 characters)";
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            yield return $"MaxRetries must be between 0 and 10, got {options.MaxRetries}";
        }

        if (options.RetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryDelay)
        {
            yield return "RetryDelay must be positive and not above MaxRetryDelay";
        }

        if (options.NetworkTimeout <= TimeSpan.Zero)
        {
            yield return "NetworkTimeout must be positive";
        }
    }
}
