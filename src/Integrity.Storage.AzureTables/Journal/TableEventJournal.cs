using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Integrity.Contracts;
using Integrity.Contracts.Services;
using Integrity.Domain.Events;
using Integrity.Storage.AzureTables.Streaming;
using Microsoft.Extensions.Logging;

namespace Integrity.Storage.AzureTables.Journal;

/// <summary>
/// The event journal on one Azure table (layout: <see cref="JournalRowLayout"/>).
/// <para>
/// Group commit: each partition has one writer loop. Appends wait in the partition's queue; the loop takes all
/// that wait (up to <see cref="TableEventJournalOptions.MaxEventsPerCommit"/> events), packs them into rows and
/// writes rows and head in one entity-group transaction, then completes every append it took. So many small
/// appends become few storage writes, which is what makes durable ingest fast on Table storage.
/// </para>
/// <para>
/// Several instances (one per silo) may write the same table: a transaction adds the rows (fails if one exists)
/// and replaces the head only at the ETag it read, so two writers can never take the same sequence number; the
/// loser re-reads the head and tries again. Sequence numbers stay unique and gap-free.
/// </para>
/// A transaction whose answer is lost (timeout after the service committed) is retried under new sequence
/// numbers, so an event can be stored twice: delivery is at-least-once and entities apply an event id once.
/// </summary>
public sealed partial class TableEventJournal : IEventJournal, IJournalSource
{
    // Binary properties travel base64-encoded in the 4 MiB transaction payload (4/3 larger).
    private const int MaxTransactionDataBytes = 2_500 * 1024;
    private const int MaxTransactionEntities = 100;

    private readonly TableEventJournalOptions _options;
    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly ILogger<TableEventJournal> _logger;
    private readonly PartitionWriter[] _writers;
    private readonly JournalWakeSignals? _wakeSignals;
    private long _pendingEvents;

    /// <param name="wakeSignals">Told of each partition appended to, so its reader reads at once.</param>
    public TableEventJournal(TableEventJournalOptions options, TimeProvider time, ILogger<TableEventJournal> logger, JournalWakeSignals? wakeSignals = null)
    {
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Event journal options are invalid: " + string.Join("; ", problems), nameof(options));
        }

        _options = options;
        _time = time;
        _logger = logger;
        _wakeSignals = wakeSignals;
        _table = options.CreateServiceClient().GetTableClient(options.TableName);
        _writers = [.. Enumerable.Range(0, options.PartitionCount).Select(p => new PartitionWriter(this, p))];
    }

    public int PartitionCount => _options.PartitionCount;

    public string TableName => _options.TableName;

    /// <summary>Events accepted by <see cref="AppendAsync"/> and not yet written (or failed).</summary>
    public long PendingEvents => Interlocked.Read(ref _pendingEvents);

    /// <summary>Creates the table; retried because storage may still be starting next to the host.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _table.CreateIfNotExistsAsync(cancellationToken);
                LogTableReady(_logger, _options.TableName, _options.PartitionCount);
                return;
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException && attempt <= _options.MaxRetries && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_options.RetryDelay * attempt, _time, cancellationToken);
            }
            catch (Exception e) when (e is RequestFailedException or AggregateException)
            {
                throw new JournalUnavailableException($"The journal could not create table '{_options.TableName}': {FirstLine(e.Message)}", 0, [], e);
            }
        }
    }

    public async Task<JournalAppendResult> AppendAsync(IReadOnlyList<IntegrityEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return JournalAppendResult.Empty;
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Serialization happens on the caller's thread, so concurrent requests share the CPU work; the writer loop only packs.
        var byPartition = new SortedDictionary<int, List<byte[]>>();
        foreach (var e in events)
        {
            var partition = JournalPartitioner.PartitionOf(e, _options.PartitionCount);
            if (!byPartition.TryGetValue(partition, out var list))
            {
                byPartition[partition] = list = [];
            }

            list.Add(JournalRowLayout.SerializeEvent(e));
        }

        var pending = Interlocked.Add(ref _pendingEvents, events.Count);
        if (pending > _options.MaxPendingEvents && pending > events.Count)
        {
            Interlocked.Add(ref _pendingEvents, -events.Count);
            LogOverloaded(_logger, pending - events.Count, _options.MaxPendingEvents);
            throw new JournalOverloadedException(pending - events.Count, _options.MaxPendingEvents);
        }

        var appends = byPartition.Select(p => new PendingAppend(p.Key, p.Value)).ToArray();
        foreach (var append in appends)
        {
            _writers[append.Partition].Enqueue(append);
        }

        var all = Task.WhenAll(appends.Select(a => a.Completion.Task));
        try
        {
            await all.WaitAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var storedPartitions = appends.Where(a => a.StoredEvents > 0).Select(a => a.Partition).ToList();
            var stored = appends.Sum(a => a.StoredEvents);
            var cause = appends.Select(a => a.Completion.Task.Exception?.InnerException).FirstOrDefault(x => x is not null) ?? e;
            throw new JournalUnavailableException(
                $"The journal could not store {events.Count - stored} of {events.Count} events: {FirstLine(cause.Message)}"
                + (stored > 0 ? $" ({stored} events in partitions {string.Join(", ", storedPartitions)} were stored)" : ""),
                stored,
                storedPartitions,
                cause);
        }

        return new JournalAppendResult(events.Count, [.. appends.Select(a => a.Completion.Task.Result)]);
    }

    /// <summary>Reads rows in sequence order. Storage failures surface as the Azure SDK's exceptions (RequestFailedException).</summary>
    public async Task<IReadOnlyList<JournalRow>> ReadAsync(int partition, long afterSequence, int maxRows, CancellationToken cancellationToken)
    {
        CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        var partitionKey = JournalPartitioner.PartitionKey(partition);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and RowKey gt {JournalRowLayout.RowKey(afterSequence)} and RowKey lt {JournalRowLayout.HeadRowKey}");
        var rows = new List<JournalRow>(Math.Min(maxRows, 64));
        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(maxRows, 1000), cancellationToken: cancellationToken))
            {
                rows.Add(JournalRowLayout.Read(partition, entity));
                if (rows.Count >= maxRows)
                {
                    break;
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode == "TableNotFound")
        {
            // On a fresh store the silo's readers can start before the table is created (at host start): nothing was
            // ever appended, so there is nothing to read. Not a failure, and not worth a warning each poll.
            return [];
        }

        return rows;
    }

    public async Task<JournalRowStamp?> FirstAfterAsync(int partition, long afterSequence, CancellationToken cancellationToken = default)
    {
        CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(afterSequence);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {JournalPartitioner.PartitionKey(partition)} and RowKey gt {JournalRowLayout.RowKey(afterSequence)} and RowKey lt {JournalRowLayout.HeadRowKey}");
        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey", JournalRowLayout.AppendedAtProperty], cancellationToken: cancellationToken))
            {
                return new JournalRowStamp(
                    long.Parse(entity.RowKey, NumberStyles.None, CultureInfo.InvariantCulture),
                    entity.GetDateTimeOffset(JournalRowLayout.AppendedAtProperty) ?? DateTimeOffset.MinValue);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404 && e.ErrorCode == "TableNotFound")
        {
            // Nothing was ever appended (the table is created at host start).
        }

        return null;
    }

    public async Task<long> HeadAsync(int partition, CancellationToken cancellationToken = default)
    {
        CheckPartition(partition);
        var head = await ReadHeadAsync(JournalPartitioner.PartitionKey(partition), cancellationToken);
        return head.Next - 1;
    }

    async Task<IReadOnlyList<JournalSlice>> Contracts.Services.IJournalRows.ReadAsync(int partition, long afterSequence, int maxRows, CancellationToken cancellationToken) =>
        [.. (await ReadAsync(partition, afterSequence, maxRows, cancellationToken)).Select(r => new JournalSlice(r.Partition, r.Sequence, r.Events))];

    Task IJournalSource.AppendAsync(IReadOnlyList<IntegrityEvent> events, CancellationToken cancellationToken) => AppendAsync(events, cancellationToken);

    private void CheckPartition(int partition)
    {
        if (partition < 0 || partition >= _options.PartitionCount)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"The journal has partitions 0..{_options.PartitionCount - 1}.");
        }
    }

    private async Task<HeadState> ReadHeadAsync(string partitionKey, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, JournalRowLayout.HeadRowKey, cancellationToken: cancellationToken);
        return response.HasValue && response.Value is { } head
            ? new HeadState(head.GetInt64(JournalRowLayout.NextProperty) ?? 1, head.ETag)
            : new HeadState(1, null);
    }

    private void Release(int events) => Interlocked.Add(ref _pendingEvents, -events);

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private sealed record HeadState(long Next, ETag? ETag);

    /// <summary>One caller's events for one partition, and what happened to them.</summary>
    private sealed class PendingAppend(int partition, List<byte[]> events)
    {
        public int Partition { get; } = partition;

        public List<byte[]> Events { get; } = events;

        public TaskCompletionSource<JournalAppendedRange> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int StoredEvents { get; private set; }

        public long FirstSequence { get; private set; } = long.MaxValue;

        public long LastSequence { get; private set; }

        public void Stored(long sequence, int events)
        {
            StoredEvents += events;
            FirstSequence = Math.Min(FirstSequence, sequence);
            LastSequence = Math.Max(LastSequence, sequence);
        }
    }

    /// <summary>A row being built: its compressed events and which appends (how many events of each) it holds.</summary>
    private sealed record RowDraft(byte[] Data, int Count, IReadOnlyList<(PendingAppend Append, int Events)> Parts);

    private sealed class PartitionWriter(TableEventJournal journal, int partition)
    {
        private readonly Lock _gate = new();
        private readonly List<PendingAppend> _queue = [];
        private readonly string _partitionKey = JournalPartitioner.PartitionKey(partition);
        private bool _running;
        private HeadState? _head;

        public void Enqueue(PendingAppend append)
        {
            lock (_gate)
            {
                _queue.Add(append);
                if (_running)
                {
                    return;
                }

                _running = true;
            }

            _ = Task.Run(RunAsync);
        }

        private async Task RunAsync()
        {
            while (true)
            {
                List<PendingAppend> round;
                lock (_gate)
                {
                    if (_queue.Count == 0)
                    {
                        _running = false;
                        return;
                    }

                    round = TakeRound();
                }

                await WriteRoundAsync(round);
            }
        }

        /// <summary>Whole appends, oldest first, up to the per-commit event budget (at least one append).</summary>
        private List<PendingAppend> TakeRound()
        {
            var take = 0;
            var events = 0;
            while (take < _queue.Count && (take == 0 || events + _queue[take].Events.Count <= journal._options.MaxEventsPerCommit))
            {
                events += _queue[take].Events.Count;
                take++;
            }

            var round = _queue.GetRange(0, take);
            _queue.RemoveRange(0, take);
            return round;
        }

        private async Task WriteRoundAsync(List<PendingAppend> round)
        {
            Exception? failure = null;
            try
            {
                var rows = BuildRows(round);
                foreach (var transaction in GroupIntoTransactions(rows))
                {
                    var first = await CommitAsync(transaction);
                    for (var i = 0; i < transaction.Count; i++)
                    {
                        foreach (var (append, events) in transaction[i].Parts)
                        {
                            append.Stored(first + i, events);
                        }
                    }
                }
            }
            catch (Exception e)
            {
                failure = e;
                _head = null;
                LogCommitFailed(journal._logger, partition, round.Sum(a => a.Events.Count), FirstLine(e.Message));
            }

            if (round.Any(a => a.StoredEvents > 0))
            {
                journal._wakeSignals?.Appended(partition);
            }

            foreach (var append in round)
            {
                journal.Release(append.Events.Count);
                if (append.StoredEvents == append.Events.Count)
                {
                    append.Completion.TrySetResult(new JournalAppendedRange(partition, append.FirstSequence, append.LastSequence, append.StoredEvents));
                }
                else
                {
                    append.Completion.TrySetException(failure ?? new InvalidOperationException("The append was not written."));
                }
            }
        }

        private List<RowDraft> BuildRows(List<PendingAppend> round)
        {
            var items = new List<byte[]>(round.Sum(a => a.Events.Count));
            var owners = new List<PendingAppend>(items.Capacity);
            foreach (var append in round)
            {
                items.AddRange(append.Events);
                owners.AddRange(Enumerable.Repeat(append, append.Events.Count));
            }

            // Pack by event count and a generous uncompressed budget; a row that still compresses too large is halved.
            var softBytes = journal._options.MaxRowBytes * 4L;
            var rows = new List<RowDraft>();
            var start = 0;
            while (start < items.Count)
            {
                var count = 0;
                long bytes = 0;
                while (start + count < items.Count && count < journal._options.MaxEventsPerRow && (count == 0 || bytes + items[start + count].Length <= softBytes))
                {
                    bytes += items[start + count].Length;
                    count++;
                }

                AddRows(items, owners, start, count, rows);
                start += count;
            }

            return rows;
        }

        private void AddRows(List<byte[]> items, List<PendingAppend> owners, int start, int count, List<RowDraft> rows)
        {
            var data = JournalRowLayout.Compress(items, start, count);
            if (data.Length > journal._options.MaxRowBytes && count > 1)
            {
                AddRows(items, owners, start, count / 2, rows);
                AddRows(items, owners, start + count / 2, count - count / 2, rows);
                return;
            }

            var parts = owners.GetRange(start, count).GroupBy(a => a).Select(g => (g.Key, g.Count())).ToList();
            rows.Add(new RowDraft(data, count, parts));
        }

        private static IEnumerable<List<RowDraft>> GroupIntoTransactions(List<RowDraft> rows)
        {
            var current = new List<RowDraft>();
            long bytes = 0;
            foreach (var row in rows)
            {
                if (current.Count > 0 && (current.Count + 1 >= MaxTransactionEntities || bytes + row.Data.Length > MaxTransactionDataBytes))
                {
                    yield return current;
                    current = [];
                    bytes = 0;
                }

                current.Add(row);
                bytes += row.Data.Length;
            }

            if (current.Count > 0)
            {
                yield return current;
            }
        }

        /// <summary>Writes the rows and the moved head atomically; returns the first row's sequence number.</summary>
        private async Task<long> CommitAsync(List<RowDraft> rows)
        {
            for (var attempt = 1; ; attempt++)
            {
                var head = _head ?? await journal.ReadHeadAsync(_partitionKey, CancellationToken.None);
                var now = journal._time.GetUtcNow();
                var headRow = JournalRowLayout.Head(_partitionKey, head.Next + rows.Count, now);
                // The head goes first: a writer holding a stale head fails on it before touching any row.
                var actions = new List<TableTransactionAction>(rows.Count + 1)
                {
                    head.ETag is { } etag
                        ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, headRow, etag)
                        : new TableTransactionAction(TableTransactionActionType.Add, headRow),
                };
                for (var i = 0; i < rows.Count; i++)
                {
                    actions.Add(new TableTransactionAction(
                        TableTransactionActionType.Add,
                        JournalRowLayout.Row(_partitionKey, head.Next + i, rows[i].Data, rows[i].Count, now)));
                }

                try
                {
                    var response = await journal._table.SubmitTransactionAsync(actions);
                    var headResponse = response.Value.Count > 0 ? response.Value[0] : null;
                    _head = headResponse?.Headers.ETag is { } newEtag ? new HeadState(head.Next + rows.Count, newEtag) : null;
                    return head.Next;
                }
                catch (RequestFailedException e) when (e.Status is 409 or 412 or 404 && attempt < journal._options.MaxConflictRetries)
                {
                    // Another writer (another silo) moved the head: read it again and take the next numbers.
                    _head = null;
                    LogConflict(journal._logger, partition, head.Next, attempt);
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + 2 * Math.Min(attempt, 20))), journal._time);
                }
            }
        }
    }
}
