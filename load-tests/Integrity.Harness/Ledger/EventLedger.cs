using Integrity.Harness.Market;

namespace Integrity.Harness.Ledger;

/// <summary>
/// The sender's ledger: which events were accepted (answered 202 and not rejected), when, and how many of them each
/// entity should have applied. The engine's exactly-once check compares its per-entity counts with these. Thread-safe.
/// </summary>
public sealed class EventLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _acceptedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<EntityKey, long> _perEntity = [];
    private readonly Dictionary<string, long> _perType = new(StringComparer.Ordinal);
    private readonly List<GeneratedEvent> _accepted = [];
    private readonly HashSet<string> _uncertain = new(StringComparer.Ordinal);
    private readonly Dictionary<EntityKey, long> _uncertainPerEntity = [];

    public long Count
    {
        get
        {
            lock (_gate) return _acceptedAt.Count;
        }
    }

    /// <summary>Records an accepted event once; a second record of the same id (a resent batch) changes nothing.</summary>
    public bool Add(GeneratedEvent e, DateTimeOffset acceptedAt)
    {
        lock (_gate)
        {
            if (!_acceptedAt.TryAdd(e.EventId, acceptedAt)) return false;
            _accepted.Add(e);
            var wasUncertain = _uncertain.Remove(e.EventId);
            foreach (var entity in e.Touched)
            {
                _perEntity[entity] = _perEntity.GetValueOrDefault(entity) + 1;
                if (wasUncertain) _uncertainPerEntity[entity]--;
            }

            _perType[e.Type] = _perType.GetValueOrDefault(e.Type) + 1;
            return true;
        }
    }

    /// <summary>
    /// An event whose request got no answer (timeout, connection lost): the engine may or may not have stored it, so
    /// the exactly-once check allows it to be applied once or not at all. Never applying it twice still holds.
    /// </summary>
    public void MarkUncertain(GeneratedEvent e)
    {
        lock (_gate)
        {
            if (_acceptedAt.ContainsKey(e.EventId) || !_uncertain.Add(e.EventId)) return;
            foreach (var entity in e.Touched)
            {
                _uncertainPerEntity[entity] = _uncertainPerEntity.GetValueOrDefault(entity) + 1;
            }
        }
    }

    public IReadOnlyDictionary<EntityKey, long> UncertainPerEntity()
    {
        lock (_gate)
        {
            return _uncertainPerEntity.Where(p => p.Value > 0).ToDictionary(p => p.Key, p => p.Value);
        }
    }

    public IReadOnlySet<string> UncertainEventIds()
    {
        lock (_gate) return new HashSet<string>(_uncertain, StringComparer.Ordinal);
    }

    public bool Contains(string eventId)
    {
        lock (_gate) return _acceptedAt.ContainsKey(eventId);
    }

    public DateTimeOffset? AcceptedAt(string eventId)
    {
        lock (_gate) return _acceptedAt.TryGetValue(eventId, out var at) ? at : null;
    }

    public IReadOnlyDictionary<EntityKey, long> PerEntity()
    {
        lock (_gate) return new Dictionary<EntityKey, long>(_perEntity);
    }

    /// <summary>The accepted event ids of each entity, for probes that can list what an entity applied.</summary>
    public IReadOnlyDictionary<EntityKey, List<string>> EventIdsPerEntity()
    {
        lock (_gate)
        {
            var result = new Dictionary<EntityKey, List<string>>();
            foreach (var e in _accepted)
            {
                foreach (var entity in e.Touched)
                {
                    if (!result.TryGetValue(entity, out var ids)) result[entity] = ids = [];
                    ids.Add(e.EventId);
                }
            }

            return result;
        }
    }

    public IReadOnlySet<string> EventIds()
    {
        lock (_gate) return new HashSet<string>(_acceptedAt.Keys, StringComparer.Ordinal);
    }

    public LedgerSummary Summarize()
    {
        lock (_gate)
        {
            var perKind = _perEntity.GroupBy(p => p.Key.Kind)
                .OrderBy(g => g.Key)
                .ToDictionary(g => g.Key.ToString(), g => new KindCount(g.Count(), g.Sum(p => p.Value)));
            var entities = _perEntity.OrderBy(p => p.Key.Kind).ThenBy(p => p.Key.Id, StringComparer.Ordinal)
                .Select(p => new EntityCount(p.Key.Kind.ToString(), p.Key.Id, p.Value)).ToList();
            return new LedgerSummary(_acceptedAt.Count, _uncertain.Count, new SortedDictionary<string, long>(_perType, StringComparer.Ordinal), perKind, entities);
        }
    }

    /// <summary>A ledger of a whole stream, as if every event were accepted: what the generator says it will send.</summary>
    public static EventLedger Of(IEnumerable<GeneratedEvent> events)
    {
        var ledger = new EventLedger();
        foreach (var e in events)
        {
            ledger.Add(e, e.OccurredAt);
        }

        return ledger;
    }
}

public sealed record KindCount(long Entities, long Events);

public sealed record EntityCount(string Kind, string Id, long Events);

/// <summary>The ledger as written to ledger.json: totals, per event type, per entity kind, and per entity.</summary>
public sealed record LedgerSummary(long Events, long Uncertain, IReadOnlyDictionary<string, long> PerType, IReadOnlyDictionary<string, KindCount> PerKind, IReadOnlyList<EntityCount> Entities);
