using HdrHistogram;
using Integrity.Client;
using Integrity.Harness.Reports;
using Integrity.Harness.Terminal;

namespace Integrity.Harness.Sending;

/// <summary>One second of the run: what was sent and accepted in it, and its request latency p99.</summary>
public sealed record SecondSample(int Second, long EventsSent, long EventsAccepted, long EventsRejected, long Requests, long Errors, double P99Ms);

/// <summary>Counters that only ever go up, as reported.</summary>
public sealed record RunTotals(
    long EventsDispatched,
    long EventsSent,
    long EventsAccepted,
    long EventsRejected,
    long DuplicatesInRequest,
    long EventsGivenUp,
    long EventsUncertain,
    long EventsNotSent,
    long Requests,
    long Retries,
    long TransportErrors,
    long AnswerMismatches,
    IReadOnlyDictionary<string, long> StatusCodes,
    IReadOnlyDictionary<string, long> RejectCodes);

/// <summary>
/// Everything the sender measures: request latency in an HdrHistogram (microseconds, 3 significant digits), every
/// request's and the accepted ones' apart, a per-second timeline with its own coarse histogram for p99 over time,
/// counters, and the answers that should not happen (problems). Thread-safe (one lock, taken once per request, not per event).
/// </summary>
public sealed class RunStatistics
{
    private const long HighestMicros = 300_000_000;
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly LongHistogram _latency = new(HighestMicros, 3);
    private readonly LongHistogram _acceptedLatency = new(HighestMicros, 3);
    private readonly List<string> _problems = [];
    private readonly List<SecondBucket> _seconds = [];
    private readonly Dictionary<string, long> _statusCodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rejectCodes = new(StringComparer.Ordinal);
    private readonly List<string> _samples = [];
    private long _dispatched, _sent, _accepted, _rejected, _duplicates, _givenUp, _uncertain, _notSent, _requests, _retries, _transport, _mismatches;

    public RunStatistics(TimeProvider time)
    {
        _time = time;
        _started = time.GetTimestamp();
    }

    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    public void Dispatched() => Interlocked.Increment(ref _dispatched);

    public long DispatchedCount => Interlocked.Read(ref _dispatched);

    /// <summary>One HTTP exchange: its status (or "error") and how long it took.</summary>
    public void RecordRequest(string status, TimeSpan latency, int events, bool isRetry)
    {
        var micros = Math.Clamp((long)(latency.TotalMicroseconds), 1, HighestMicros);
        lock (_gate)
        {
            _latency.RecordValue(micros);
            if (status == "202") _acceptedLatency.RecordValue(micros);
            var bucket = Bucket();
            bucket.Latency.RecordValue(micros);
            bucket.Requests++;
            bucket.Sent += isRetry ? 0 : events;
            _requests++;
            _sent += isRetry ? 0 : events;
            if (isRetry) _retries++;
            _statusCodes[status] = _statusCodes.GetValueOrDefault(status) + 1;
            if (status == "error")
            {
                _transport++;
                bucket.Errors++;
            }
        }
    }

    public void RecordAnswer(int accepted, int duplicates, IEnumerable<IngestRejection> rejected, bool mismatch)
    {
        lock (_gate)
        {
            var bucket = Bucket();
            bucket.Accepted += accepted;
            _accepted += accepted;
            _duplicates += duplicates;
            foreach (var r in rejected)
            {
                _rejected++;
                bucket.Rejected++;
                _rejectCodes[r.Code] = _rejectCodes.GetValueOrDefault(r.Code) + 1;
                if (_samples.Count < 20) _samples.Add($"line {r.Line} {r.EventId}: {r.Code} {r.Reason}");
            }

            if (mismatch) _mismatches++;
        }
    }

    /// <summary>An answer that should not happen (a 503 without Retry-After, a refusal, an unreadable 202): the first 20 are kept.</summary>
    public void Problem(string problem)
    {
        lock (_gate)
        {
            if (_problems.Count < 20) _problems.Add(problem);
        }
    }

    public IReadOnlyList<string> Problems()
    {
        lock (_gate) return [.. _problems];
    }

    public void GivenUp(int events) => Interlocked.Add(ref _givenUp, events);

    public void Uncertain(int events) => Interlocked.Add(ref _uncertain, events);

    public void NotSent(int events) => Interlocked.Add(ref _notSent, events);

    /// <summary>The progress display's reading: events handed out of the total, the send rate since the last reading, p99 so far.</summary>
    public Func<ProgressReading> Progress(long total)
    {
        var (lastAt, lastSent) = (Elapsed, 0L);
        return () =>
        {
            var (t, now) = (Totals(), Elapsed);
            var rate = now > lastAt ? (t.EventsSent - lastSent) / (now - lastAt).TotalSeconds : 0;
            (lastAt, lastSent) = (now, t.EventsSent);
            return new ProgressReading(t.EventsDispatched, total, FormattableString.Invariant(
                $"{t.EventsDispatched:N0}/{total:N0} ev  {rate:N0} ev/s  p99 {P99SoFarMs():0.0} ms  accepted {t.EventsAccepted:N0}  rejected {t.EventsRejected:N0}  retries {t.Retries:N0}"));
        };
    }

    public LatencySummary Latency()
    {
        lock (_gate) return LatencySummary.Of(_latency);
    }

    /// <summary>Latency of the requests answered 202.</summary>
    public LatencySummary? AcceptedLatency()
    {
        lock (_gate) return LatencySummary.OfAny(_acceptedLatency);
    }

    /// <summary>Answers with this status so far ("503", "429", "error" for none).</summary>
    public long Answers(string status)
    {
        lock (_gate) return _statusCodes.GetValueOrDefault(status);
    }

    /// <summary>A copy of the request latency histogram (microseconds), for the percentile chart.</summary>
    public HistogramBase LatencyHistogram()
    {
        lock (_gate) return _latency.Copy();
    }

    public double P99SoFarMs()
    {
        lock (_gate) return _latency.TotalCount == 0 ? 0 : _latency.GetValueAtPercentile(99) / 1000.0;
    }

    public long AcceptedCount
    {
        get
        {
            lock (_gate) return _accepted;
        }
    }

    public RunTotals Totals()
    {
        lock (_gate)
        {
            return new RunTotals(Interlocked.Read(ref _dispatched), _sent, _accepted, _rejected, _duplicates, Interlocked.Read(ref _givenUp),
                Interlocked.Read(ref _uncertain), Interlocked.Read(ref _notSent), _requests, _retries, _transport, _mismatches,
                new SortedDictionary<string, long>(_statusCodes, StringComparer.Ordinal), new SortedDictionary<string, long>(_rejectCodes, StringComparer.Ordinal));
        }
    }

    public IReadOnlyList<string> RejectionSamples()
    {
        lock (_gate) return [.. _samples];
    }

    public IReadOnlyList<SecondSample> Timeline()
    {
        lock (_gate)
        {
            return _seconds.Select((b, i) => new SecondSample(i, b.Sent, b.Accepted, b.Rejected, b.Requests, b.Errors,
                b.Latency.TotalCount == 0 ? 0 : Math.Round(b.Latency.GetValueAtPercentile(99) / 1000.0, 3))).ToList();
        }
    }

    private SecondBucket Bucket()
    {
        var second = (int)Elapsed.TotalSeconds;
        while (_seconds.Count <= second)
        {
            _seconds.Add(new SecondBucket());
        }

        return _seconds[second];
    }

    private sealed class SecondBucket
    {
        /// <summary>Two significant digits: enough for a per-second p99 line, a few KB per second of run.</summary>
        public LongHistogram Latency { get; } = new(HighestMicros, 2);

        public long Sent { get; set; }

        public long Accepted { get; set; }

        public long Rejected { get; set; }

        public long Requests { get; set; }

        public long Errors { get; set; }
    }
}
