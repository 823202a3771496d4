using System.Diagnostics;
using Azure.Data.Tables;
using Integrity.Storage.AzureTables.Journal;

namespace Integrity.Harness.Engine;

/// <summary>One sample of the pipeline, once a second.</summary>
public sealed record PipelineSample(double Seconds, long Accepted, long Journaled, long Checkpointed, double StoredLagSeconds, long Applications);

/// <summary>
/// Watches the engine's tables while a load runs: events journaled and events durably applied (every journal row up to
/// its partition's checkpoint, counted by the rows' <c>Count</c>), and how far stored state is behind what was accepted:
/// the age of the oldest journal row not yet covered by a checkpoint (0 when everything is checkpointed).
/// </summary>
public sealed class PipelineMonitor(EngineTables tables, Func<long> accepted, Func<Task<long>>? applications = null)
{
    private readonly Dictionary<int, SortedList<long, (int Count, DateTimeOffset AppendedAt)>> _rows = [];

    public List<PipelineSample> Samples { get; } = [];

    public async Task RunAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    Samples.Add(await SampleAsync(clock, cancellationToken));
                }
                catch (Azure.RequestFailedException)
                {
                }

                await Task.Delay(1000, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async Task<PipelineSample> SampleAsync(Stopwatch clock, CancellationToken cancellationToken = default)
    {
        var progress = await tables.ProgressAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        long journaled = 0, checkpointed = 0;
        var lag = 0.0;
        foreach (var p in progress)
        {
            if (!_rows.TryGetValue(p.Partition, out var rows))
            {
                _rows[p.Partition] = rows = [];
            }

            var known = rows.Count == 0 ? 0 : rows.Keys[^1];
            if (p.Head > known)
            {
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {JournalPartitioner.PartitionKey(p.Partition)} and RowKey gt {JournalRowLayout.RowKey(known)} and RowKey lt {JournalRowLayout.HeadRowKey}");
                await foreach (var row in tables.Journal.QueryAsync<TableEntity>(filter, select: ["RowKey", JournalRowLayout.CountProperty, JournalRowLayout.AppendedAtProperty], cancellationToken: cancellationToken))
                {
                    rows[long.Parse(row.RowKey, System.Globalization.CultureInfo.InvariantCulture)] =
                        (row.GetInt32(JournalRowLayout.CountProperty) ?? 0, row.GetDateTimeOffset(JournalRowLayout.AppendedAtProperty) ?? now);
                }
            }

            foreach (var (sequence, (count, appendedAt)) in rows)
            {
                journaled += count;
                if (sequence <= p.Checkpoint)
                {
                    checkpointed += count;
                }
                else
                {
                    lag = Math.Max(lag, (now - appendedAt).TotalSeconds);
                }
            }
        }

        long applied = -1;
        if (applications is not null)
        {
            try
            {
                applied = await applications();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
        }

        return new PipelineSample(clock.Elapsed.TotalSeconds, accepted(), journaled, checkpointed, lag, applied);
    }
}
