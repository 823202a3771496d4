namespace Integrity.Contracts.Audit;

/// <summary>What a verifier found changed: <c>edited</c>, <c>inserted</c> or <c>removed</c>, with the row it names.</summary>
/// <param name="Seq">The chain position concerned (for a removal, the first missing one); null for a row without chain.</param>
/// <param name="EntryId">The row named (for a removal, the last intact row before the gap), if there is one.</param>
public sealed record AuditTamper(string Change, long? Seq, string? EntryId, string Detail);

/// <summary>The verdict on one entity's trail.</summary>
/// <param name="Intact">No row edited, inserted or removed, as far as the chain, its head row and the digests show.</param>
/// <param name="Unchained">Rows written before the chain began (legacy rows): present, but nothing proves them.</param>
/// <param name="ChainStartsAt">The entry id of chain row 1; null when the trail has no chain.</param>
/// <param name="FirstTamper">The first change in chain order (what the verify command names).</param>
public sealed record AuditVerification(
    string EntityKind,
    string EntityId,
    bool Intact,
    int Entries,
    int Chained,
    int Unchained,
    long HeadSeq,
    int DigestsChecked,
    string? ChainStartsAt,
    AuditTamper? FirstTamper,
    IReadOnlyList<AuditTamper> Tampers,
    string Summary);

/// <summary>
/// Checks an entity's trail (from the live tables or from an export) against its hash chain, its chain head row and
/// its hourly digests, and names the first row edited, inserted or removed. Pure; see <see cref="AuditChain"/>.
/// </summary>
public static class AuditChainVerifier
{
    public const string Edited = "edited";
    public const string Inserted = "inserted";
    public const string Removed = "removed";

    /// <param name="alsoFound">Changes found another way (an export's readable columns), placed by their row's seq.</param>
    public static AuditVerification Verify(AuditTrail trail, IReadOnlyList<AuditTamper>? alsoFound = null)
    {
        ArgumentNullException.ThrowIfNull(trail);
        var found = new List<(double Position, AuditTamper Tamper)>();
        found.AddRange((alsoFound ?? []).Select(t => ((double)(t.Seq ?? 0), t)));
        var chained = trail.Entries.Where(e => e.Link is not null).ToList();
        var unchained = trail.Entries.Where(e => e.Link is null).ToList();
        var genuine = new Dictionary<long, ChainedAuditRecord>();

        var groups = chained.GroupBy(e => e.Link!.Seq).OrderBy(g => g.Key).ToList();
        long expected = 1;
        var previous = AuditChain.Genesis;
        ChainedAuditRecord? last = null;
        for (var gi = 0; gi < groups.Count; gi++)
        {
            var seq = groups[gi].Key;
            if (seq < 1)
            {
                found.AddRange(groups[gi].Select(r => ((double)seq, new AuditTamper(Inserted, seq, r.Record.EntryId, $"row at seq {seq}: a chain starts at 1"))));
                continue;
            }

            if (seq > expected)
            {
                found.Add((expected, new AuditTamper(Removed, expected, last?.Record.EntryId,
                    seq - expected == 1
                        ? $"row {expected} is missing ({After(last)}, before entry {groups[gi].First().Record.EntryId})"
                        : $"rows {expected} to {seq - 1} are missing ({After(last)}, before entry {groups[gi].First().Record.EntryId})")));
                // Walk on from what the next row says came before it, so that later changes are still found.
                previous = groups[gi].First().Link!.PreviousHash;
            }

            var next = gi + 1 < groups.Count && groups[gi + 1].Key == seq + 1
                ? groups[gi + 1].Select(r => r.Link!.PreviousHash).ToHashSet(StringComparer.Ordinal)
                : trail.Head is { } h && h.Seq == seq ? new HashSet<string>(StringComparer.Ordinal) { h.Hash } : [];
            var rows = groups[gi].ToList();
            var row = rows[0];
            if (rows.Count > 1)
            {
                bool Links(ChainedAuditRecord r) => r.Link!.PreviousHash == previous && AuditChain.Hash(seq, r.Link.PreviousHash, r.Record) == r.Link.Hash;
                row = rows.FirstOrDefault(r => Links(r) && next.Contains(r.Link!.Hash)) ?? rows.FirstOrDefault(Links) ?? rows[0];
                found.AddRange(rows.Where(r => !ReferenceEquals(r, row)).Select(r =>
                    ((double)seq, new AuditTamper(Inserted, seq, r.Record.EntryId, $"a second row claims seq {seq} (the chain continues from entry {row.Record.EntryId})"))));
            }

            var link = row.Link!;
            if (AuditChain.Hash(seq, link.PreviousHash, row.Record) != link.Hash)
            {
                found.Add((seq, new AuditTamper(Edited, seq, row.Record.EntryId, $"row {seq}: its content no longer gives the hash it carries")));
            }
            else if (link.PreviousHash != previous)
            {
                found.Add(last is null
                    ? (seq, new AuditTamper(Edited, seq, row.Record.EntryId, $"row {seq}: the first row does not start from the genesis hash"))
                    : (seq - 1, new AuditTamper(Edited, seq - 1, last.Record.EntryId, $"row {seq - 1}: its hash was recomputed; row {seq} was chained to a different one")));
            }

            genuine[seq] = row;
            previous = link.Hash;
            last = row;
            expected = seq + 1;
        }

        var lastSeq = expected - 1;
        if (trail.Head is { } head)
        {
            if (head.Seq > lastSeq)
            {
                found.Add((lastSeq + 1, new AuditTamper(Removed, lastSeq + 1, last?.Record.EntryId,
                    $"the chain head names row {head.Seq}, the trail ends at row {lastSeq}: {(lastSeq == 0 ? "every chained row is gone" : $"the rows after entry {last!.Record.EntryId} are gone")}")));
            }
            else if (head.Seq < lastSeq)
            {
                var beyond = genuine[head.Seq + 1];
                found.Add((head.Seq + 1, new AuditTamper(Inserted, head.Seq + 1, beyond.Record.EntryId, $"row {head.Seq + 1} lies beyond the chain head (row {head.Seq})")));
            }
            else if (head.Hash != previous && last is not null)
            {
                found.Add((lastSeq, new AuditTamper(Edited, lastSeq, last.Record.EntryId, $"row {lastSeq}: the chain head records a different hash for it")));
            }
        }
        else if (chained.Count > 0)
        {
            found.Add((double.MaxValue, new AuditTamper(Removed, null, null, "the chain head row is gone")));
        }

        var digests = trail.Digests.DistinctBy(d => (d.Seq, d.Hash)).OrderBy(d => d.Seq).ToList();
        foreach (var digest in digests)
        {
            if (genuine.TryGetValue(digest.Seq, out var anchored))
            {
                if (anchored.Link!.Hash != digest.Hash)
                {
                    found.Add((digest.Seq, new AuditTamper(Edited, digest.Seq, anchored.Record.EntryId, $"row {digest.Seq} differs from the digest of hour {digest.Hour}")));
                }
            }
            else
            {
                found.Add((digest.Seq, new AuditTamper(Removed, digest.Seq, null, chained.Count == 0
                    ? $"the whole trail is gone: the digest of hour {digest.Hour} names row {digest.Seq}"
                    : $"row {digest.Seq}, named by the digest of hour {digest.Hour}, is gone")));
            }
        }

        // Rows without chain are legacy rows only if they were recorded before the chain began.
        var start = genuine.GetValueOrDefault(1);
        if (start is not null)
        {
            foreach (var row in unchained.Where(u => u.Record.RecordedAt > start.Record.RecordedAt))
            {
                var position = genuine.Values.Count(g => g.Record.RecordedAt <= row.Record.RecordedAt) + 0.5;
                found.Add((position, new AuditTamper(Inserted, null, row.Record.EntryId, "a row without chain, recorded after the chain began")));
            }
        }

        var tampers = found.OrderBy(f => f.Position).Select(f => f.Tamper).Distinct().ToList();
        var first = tampers.FirstOrDefault();
        var summary = first is null
            ? $"intact: {chained.Count} chained rows (1 to {lastSeq}), head {(trail.Head is null ? "none" : "matches")}, {digests.Count} digests match"
                + (unchained.Count > 0 ? $"; the chain starts at entry {start?.Record.EntryId ?? "(none)"}, {unchained.Count} earlier rows predate it and are not proven" : "")
            : $"tampered: {first.Change} {(first.Seq is { } s ? $"row {s}" : "a row")}{(first.EntryId is { } id ? $" (entry {id})" : "")}: {first.Detail}"
                + (tampers.Count > 1 ? $"; {tampers.Count - 1} more" : "");
        return new AuditVerification(trail.EntityKind, trail.EntityId, first is null, trail.Entries.Count, chained.Count, unchained.Count,
            trail.Head?.Seq ?? lastSeq, digests.Count, start?.Record.EntryId, first, tampers, summary);
    }

    private static string After(ChainedAuditRecord? last) => last is null ? "at the chain's start" : $"after entry {last.Record.EntryId}";
}
