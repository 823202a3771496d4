using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Integrity.Grains.Telemetry;

/// <summary>
/// The engine's instruments, on one <see cref="Meter"/> named <see cref="MeterName"/>, made by the host's
/// <see cref="IMeterFactory"/> and injected where something is counted. Plain <c>System.Diagnostics.Metrics</c>: whoever
/// listens (the OpenTelemetry SDK in the host, <c>dotnet-counters</c>, a test's <c>MeterListener</c>) decides where the
/// numbers go. Tags carry no identifiers (no seller, listing or reviewer ids, no keys): only partition numbers, entity
/// kinds, ladder steps, outcomes, reason codes and webhook endpoint ids (names an admin chose for the platform's
/// endpoints, a handful), so series stay few and nothing personal leaves the process.
/// </summary>
public sealed class IntegrityMetrics
{
    public const string MeterName = "Integrity";

    private readonly Counter<long> _ingestRequests;
    private readonly Histogram<double> _ingestDuration;
    private readonly Counter<long> _ingestEvents;
    private readonly Counter<long> _consumerEvents;
    private readonly Histogram<double> _checkpointDuration;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _analystActions;
    private readonly UpDownCounter<long> _sseClients;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _webhookDeliveries;
    private readonly Histogram<double> _webhookLatency;
    private readonly ConcurrentDictionary<string, long> _webhookPending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _webhookPaused = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, long> _heads = new();
    private readonly ConcurrentDictionary<int, long> _dispatched = new();
    private Func<double?>? _storedLagSeconds;

    public IntegrityMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _ingestRequests = meter.CreateCounter<long>("integrity.ingest.requests", "{request}",
            "Requests to POST /v1/events by outcome: accepted (202), client_error (4xx other than 429), rate_limited (429), unavailable (503), server_error (other 5xx); status_code is the exact status.");
        _ingestDuration = meter.CreateHistogram("integrity.ingest.duration", "s",
            "Time from the arrival of an ingest request to its answer, by outcome (a 202 is answered once the events are durable).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _ingestEvents = meter.CreateCounter<long>("integrity.ingest.events", "{event}",
            "Event lines of answered (202) ingest requests by result: accepted (journaled), rejected (answered with a reason and dead-lettered), duplicate (the same event id earlier in the same request).");
        _consumerEvents = meter.CreateCounter<long>("integrity.consumer.events", "{event}",
            "Events the partition consumers delivered to entity grains, counted once per entity that took it (an order counts for its seller, listing and buyer), by partition and result: applied (changed the entity's state), duplicate (an event id the entity had already applied).");
        _checkpointDuration = meter.CreateHistogram("integrity.checkpoint.duration", "s",
            "Time a partition checkpoint takes: writing the grain states its rows touched, the audit records, then the checkpoint row; by partition and outcome (advanced, uncovered, failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        _decisions = meter.CreateCounter<long>("integrity.decisions", "{decision}",
            "Policy decisions appended to the audit table, by entity kind and the step taken on its ladder.");
        _analystActions = meter.CreateCounter<long>("integrity.analyst.actions", "{action}",
            "Analyst actions answered by the API, by entity kind, action (confirm, reverse, reinstate, override, note) and outcome (applied, rejected).");
        _sseClients = meter.CreateUpDownCounter<long>("integrity.sse.clients", "{client}",
            "Live decision feeds (server-sent events) open on this host.");
        _deadLetters = meter.CreateCounter<long>("integrity.dead_letters", "{letter}",
            "Dead letters written, by source (ingest: rejected lines; consumer: events an entity could not apply) and reason code.");
        _webhookDeliveries = meter.CreateCounter<long>("integrity.webhook.deliveries", "{attempt}",
            "Webhook delivery attempts by endpoint and outcome: delivered (answered 2xx), retried (failed; tried again after a backoff), failed (failed past Webhooks:RetryPeriod: kept as failed, replayable).");
        _webhookLatency = meter.CreateHistogram("integrity.webhook.delivery.latency", "s",
            "Time from a record's audit to its delivery (the endpoint's 2xx), by endpoint; retries, pauses and replays included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400] });
        meter.CreateObservableGauge("integrity.webhook.pending", ObserveWebhookPending, "{delivery}",
            "Deliveries queued per endpoint (up to Webhooks:MaxQueueScan) as its deliverer last read them, reported by the silo the deliverer runs on; not read while the endpoint is paused.");
        meter.CreateObservableGauge("integrity.webhook.endpoints.paused", ObserveWebhookPaused, "{endpoint}",
            "1 for a paused webhook endpoint, 0 for an active one, per endpoint, reported by the silo its deliverer runs on (one in the cluster): the sum is the paused endpoints.");
        meter.CreateObservableGauge("integrity.journal.backlog", ObserveBacklog, "{row}",
            "Journal rows written but not yet dispatched to entity grains (head minus dispatched), per partition consumed on this silo.");
        meter.CreateObservableGauge("integrity.stored_lag", ObserveStoredLag, "s",
            "Age of the oldest event this host acknowledged whose effect is not yet in stored grain state (no checkpoint covers it); 0 when all are stored.");
    }

    /// <summary>One answered <c>POST /v1/events</c>.</summary>
    public void IngestRequest(int statusCode, double seconds)
    {
        var outcome = statusCode switch
        {
            StatusAccepted => "accepted",
            429 => "rate_limited",
            503 => "unavailable",
            >= 400 and < 500 => "client_error",
            >= 500 => "server_error",
            _ => "other",
        };
        var tags = new TagList { { "outcome", outcome }, { "status_code", statusCode } };
        _ingestRequests.Add(1, tags);
        _ingestDuration.Record(seconds, new TagList { { "outcome", outcome } });
    }

    /// <summary>The lines of one accepted (202) request.</summary>
    public void IngestEvents(int accepted, int rejected, int duplicates)
    {
        _ingestEvents.Add(accepted, new KeyValuePair<string, object?>("result", "accepted"));
        _ingestEvents.Add(rejected, new KeyValuePair<string, object?>("result", "rejected"));
        _ingestEvents.Add(duplicates, new KeyValuePair<string, object?>("result", "duplicate"));
    }

    public void EventsDelivered(int partition, long applied, long duplicates)
    {
        _consumerEvents.Add(applied, new TagList { { "partition", partition }, { "result", "applied" } });
        _consumerEvents.Add(duplicates, new TagList { { "partition", partition }, { "result", "duplicate" } });
    }

    public void CheckpointTaken(int partition, string outcome, double seconds) =>
        _checkpointDuration.Record(seconds, new TagList { { "partition", partition }, { "outcome", outcome } });

    public void Decision(string entityKind, string? step) =>
        _decisions.Add(1, new TagList { { "entity_kind", entityKind }, { "step", step ?? "none" } });

    public void AnalystAction(string entityKind, string action, bool applied) =>
        _analystActions.Add(1, new TagList { { "entity_kind", entityKind }, { "action", action }, { "outcome", applied ? "applied" : "rejected" } });

    public void SseClientOpened() => _sseClients.Add(1);

    public void SseClientClosed() => _sseClients.Add(-1);

    public void DeadLetters(string source, string code, int count) =>
        _deadLetters.Add(count, new TagList { { "source", source }, { "code", code } });

    /// <summary>One delivery round of an endpoint: its attempts by outcome.</summary>
    public void WebhookAttempts(string endpoint, int delivered, int retried, int failed)
    {
        _webhookDeliveries.Add(delivered, new TagList { { "endpoint", endpoint }, { "outcome", "delivered" } });
        _webhookDeliveries.Add(retried, new TagList { { "endpoint", endpoint }, { "outcome", "retried" } });
        _webhookDeliveries.Add(failed, new TagList { { "endpoint", endpoint }, { "outcome", "failed" } });
    }

    /// <summary>A delivery answered 2xx, <paramref name="secondsSinceAudit"/> after its record was audited.</summary>
    public void WebhookDelivered(string endpoint, double secondsSinceAudit) =>
        _webhookLatency.Record(Math.Max(0, secondsSinceAudit), new KeyValuePair<string, object?>("endpoint", endpoint));

    public void WebhookPending(string endpoint, int count) => _webhookPending[endpoint] = count;

    public void WebhookEndpointPaused(string endpoint, bool paused) => _webhookPaused[endpoint] = paused;

    /// <summary>The endpoint's deliverer left this silo (deactivated, or the endpoint was deleted).</summary>
    public void WebhookEndpointGone(string endpoint)
    {
        _webhookPending.TryRemove(endpoint, out _);
        _webhookPaused.TryRemove(endpoint, out _);
    }

    /// <summary>The journal's head of a partition is at least <paramref name="sequence"/> (seen by an append or a read).</summary>
    public void JournalHead(int partition, long sequence) =>
        _heads.AddOrUpdate(partition, sequence, (_, known) => Math.Max(known, sequence));

    /// <summary>This silo's consumer of <paramref name="partition"/> has dispatched rows up to <paramref name="sequence"/>.</summary>
    public void Dispatched(int partition, long sequence)
    {
        _dispatched[partition] = sequence;
        JournalHead(partition, sequence);
    }

    /// <summary>The partition's consumer left this silo (deactivated, or the partition moved): its backlog is another silo's to report.</summary>
    public void ConsumerStopped(int partition) => _dispatched.TryRemove(partition, out _);

    /// <summary>Partitions whose consumer runs on this silo.</summary>
    public IReadOnlyCollection<int> LocalPartitions => [.. _dispatched.Keys];

    /// <summary>Where the stored-lag gauge reads from (the host's lag tracker); null answers record nothing.</summary>
    public void ObserveStoredLag(Func<double?> seconds) => _storedLagSeconds = seconds;

    private const int StatusAccepted = 202;

    private IEnumerable<Measurement<long>> ObserveBacklog()
    {
        foreach (var (partition, dispatched) in _dispatched)
        {
            var head = _heads.TryGetValue(partition, out var h) ? h : dispatched;
            yield return new Measurement<long>(Math.Max(0, head - dispatched), new KeyValuePair<string, object?>("partition", partition));
        }
    }

    private IEnumerable<Measurement<long>> ObserveWebhookPending() =>
        _webhookPending.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("endpoint", p.Key)));

    private IEnumerable<Measurement<long>> ObserveWebhookPaused() =>
        _webhookPaused.Select(p => new Measurement<long>(p.Value ? 1 : 0, new KeyValuePair<string, object?>("endpoint", p.Key)));

    private IEnumerable<Measurement<double>> ObserveStoredLag()
    {
        if (_storedLagSeconds?.Invoke() is { } seconds)
        {
            yield return new Measurement<double>(seconds);
        }
    }
}
