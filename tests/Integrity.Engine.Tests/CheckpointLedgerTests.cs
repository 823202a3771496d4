using Integrity.Contracts;
using Integrity.Domain.Events;
using Integrity.Grains.Checkpoints;
using Microsoft.Extensions.Time.Testing;

namespace Integrity.Engine.Tests;

/// <summary>
/// The checkpoint rule over fakes: a consumer driven by <see cref="CheckpointLedger"/> and entities keeping
/// <see cref="EntityCoverage"/>, on a fake clock, while entities deactivate at random and some of their final writes
/// (and flushes) fail. Whatever happens, no checkpoint passes a row whose effect some entity has not stored, and in the
/// end every entity has stored every event it was sent.
/// </summary>
public sealed class CheckpointLedgerTests
{
    [Fact]
    public void An_entity_refuses_a_row_whose_previous_row_it_does_not_hold()
    {
        var coverage = new EntityCoverage(new Dictionary<int, long> { [3] = 10 });

        Assert.True(coverage.Holds(new JournalRow(3, 12, 10)));
        Assert.True(coverage.Holds(new JournalRow(3, 12, 0)));
        Assert.False(coverage.Holds(new JournalRow(3, 12, 11)));
        Assert.False(coverage.Holds(new JournalRow(4, 2, 1)));
        Assert.True(coverage.Advance(new JournalRow(3, 12, 10)));
        Assert.False(coverage.Advance(new JournalRow(3, 11, 10)));
        Assert.Equal(12, coverage.Through(3));
    }

    [Fact]
    public void The_ledger_names_entities_whose_stored_coverage_is_short_and_gives_them_back()
    {
        var ledger = new CheckpointLedger(2);
        var a = new EntityRef(EntityKind.Seller, "a");
        var b = new EntityRef(EntityKind.Listing, "b");
        Assert.Equal(new JournalRow(2, 5, 0), ledger.Stamp(a, 5));
        ledger.Delivered([a, b], 5);
        ledger.Delivered([a], 7);
        Assert.Equal(new JournalRow(2, 8, 7), ledger.Stamp(a, 8));

        var taken = ledger.TakePending();
        var uncovered = ledger.Uncovered(taken, new Dictionary<EntityRef, JournalCoverage>
        {
            [a] = new(new Dictionary<int, long> { [2] = 5 }),
            [b] = new(new Dictionary<int, long> { [2] = 5 }),
        });

        Assert.Equal([a], uncovered);
        Assert.Equal(0, ledger.PendingCount);
        ledger.Restore(taken);
        Assert.Equal(2, ledger.PendingCount);
        ledger.Rewind();
        Assert.Equal(new JournalRow(2, 8, 0), ledger.Stamp(a, 8));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void No_checkpoint_passes_a_row_whose_effect_is_not_stored_while_grains_lose_unsaved_state(int seed)
    {
        var run = new Simulation(seed);
        run.Run(rows: 400);

        Assert.True(run.Replays > 0, "the run never lost unsaved state, so it tested nothing");
        Assert.Equal(400, run.Checkpointed);
        foreach (var entity in run.Entities.Values)
        {
            Assert.Equal(entity.Sent.Order(), entity.StoredEvents.Order());
        }
    }

    private sealed class FakeEntity
    {
        public HashSet<string> Sent { get; } = [];

        public HashSet<string> StoredEvents { get; private set; } = [];

        public Dictionary<int, long> StoredRows { get; private set; } = [];

        private HashSet<string> _memory = [];
        private EntityCoverage _coverage = new();

        public bool Apply(JournalRow row, string eventId)
        {
            if (!_coverage.Holds(row))
            {
                return false;
            }

            _memory.Add(eventId);
            _coverage.Advance(row);
            return true;
        }

        public JournalCoverage Flush()
        {
            StoredEvents = [.. _memory];
            StoredRows = _coverage.Snapshot();
            return new JournalCoverage(StoredRows);
        }

        /// <summary>The activation ends; its last write may fail. The next activation reads what is stored.</summary>
        public void Deactivate(bool lastWriteFails)
        {
            if (!lastWriteFails)
            {
                Flush();
            }

            _memory = [.. StoredEvents];
            _coverage = new EntityCoverage(StoredRows);
        }
    }

    private sealed class Simulation(int seed)
    {
        private const int Partition = 0;
        private readonly Random _random = new(seed);
        private readonly FakeTimeProvider _clock = new();
        private readonly CheckpointLedger _ledger = new(Partition);
        private readonly List<(long Sequence, List<(EntityRef Entity, string EventId)> Work)> _journal = [];
        private long _dispatched;

        public Dictionary<EntityRef, FakeEntity> Entities { get; } = [];

        public long Checkpointed { get; private set; }

        public int Replays { get; private set; }

        public void Run(int rows)
        {
            var interval = TimeSpan.FromSeconds(2);
            var nextCheckpoint = _clock.GetUtcNow() + interval;
            for (var sequence = 1; sequence <= rows; sequence++)
            {
                _journal.Add((sequence, NewRow(sequence)));
                Dispatch(_journal[^1]);
                _clock.Advance(TimeSpan.FromMilliseconds(100));
                if (_random.NextDouble() < 0.05)
                {
                    Entities.Values.ElementAt(_random.Next(Entities.Count)).Deactivate(lastWriteFails: _random.NextDouble() < 0.5);
                }

                if (_clock.GetUtcNow() >= nextCheckpoint)
                {
                    Checkpoint(flushesMayFail: true);
                    nextCheckpoint += interval;
                }
            }

            for (var attempt = 0; Checkpointed < _dispatched && attempt < 10; attempt++)
            {
                Checkpoint(flushesMayFail: false);
            }
        }

        private List<(EntityRef, string)> NewRow(long sequence)
        {
            var work = new List<(EntityRef, string)>();
            foreach (var id in Enumerable.Range(0, _random.Next(1, 4)).Select(_ => _random.Next(12)).Distinct())
            {
                var entity = new EntityRef(EntityKind.Seller, "s" + id);
                var eventId = $"e{sequence}-{id}";
                if (!Entities.TryGetValue(entity, out var fake))
                {
                    Entities[entity] = fake = new FakeEntity();
                }

                fake.Sent.Add(eventId);
                work.Add((entity, eventId));
            }

            return work;
        }

        /// <summary>Delivers a row; false when an entity refused it for a gap.</summary>
        private bool Deliver((long Sequence, List<(EntityRef Entity, string EventId)> Work) row)
        {
            var held = row.Work.Where(w => Entities[w.Entity].Apply(_ledger.Stamp(w.Entity, row.Sequence), w.EventId)).Select(w => w.Entity).ToList();
            _ledger.Delivered(held, row.Sequence);
            return held.Count == row.Work.Count;
        }

        private void Dispatch((long Sequence, List<(EntityRef Entity, string EventId)> Work) row)
        {
            if (!Deliver(row))
            {
                Replay(row.Sequence);
            }

            _dispatched = row.Sequence;
        }

        private void Replay(long through)
        {
            Replays++;
            for (var pass = 0; ; pass++)
            {
                Assert.True(pass < 10, "a replay kept meeting gaps");
                _ledger.Rewind();
                if (_journal.Where(r => r.Sequence > Checkpointed && r.Sequence <= through).All(Deliver))
                {
                    return;
                }
            }
        }

        private void Checkpoint(bool flushesMayFail)
        {
            var upTo = _dispatched;
            var taken = _ledger.TakePending();
            if (flushesMayFail && _random.NextDouble() < 0.1)
            {
                _ledger.Restore(taken);
                return;
            }

            var stored = taken.Keys.ToDictionary(e => e, e => Entities[e].Flush());
            if (_ledger.Uncovered(taken, stored).Count > 0)
            {
                _ledger.Restore(taken);
                Replay(_dispatched);
                return;
            }

            foreach (var row in _journal.Where(r => r.Sequence > Checkpointed && r.Sequence <= upTo))
            {
                foreach (var (entity, eventId) in row.Work)
                {
                    Assert.True(Entities[entity].StoredEvents.Contains(eventId), $"checkpoint {upTo} passes row {row.Sequence}, whose {eventId} is not stored");
                }
            }

            Checkpointed = upTo;
        }
    }
}
