using BenchmarkDotNet.Attributes;
using Integrity.Domain.Events;
using Integrity.Domain.Replay;

namespace Integrity.Domain.Benchmarks;

/// <summary>
/// The domain's apply path (<see cref="ReplayEngine.Apply"/>: routing, the entities' rules and signals, the ladder, the
/// facts between entities), per event type and for a marketplace mix. Each invocation applies <see cref="Batch"/> new
/// events to an engine warmed with a marketplace history, so figures are per event on entities with real histories.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8, invocationCount: 1)]
public class ApplyBenchmarks
{
    public const int Batch = 20_000;

    private ReplayEngine _engine = null!;
    private List<IntegrityEvent> _events = [];

    [Params(StreamKind.Mix, StreamKind.OrderPlaced, StreamKind.ReviewPosted, StreamKind.ListingUpdated, StreamKind.ComplaintFiled)]
    public StreamKind Kind { get; set; }

    /// <summary>A fresh engine and a fresh batch for every iteration: the events must be new to be applied, not deduplicated.</summary>
    [IterationSetup]
    public void Setup()
    {
        var stream = new MarketStream();
        _engine = new ReplayEngine { CollectDecisions = false }.ApplyAll(stream.WarmUp(mixed: 50_000));
        _events = stream.Take(Kind, Batch);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public long Apply()
    {
        foreach (var e in _events) _engine.Apply(e);
        return _engine.EventsRouted;
    }
}
