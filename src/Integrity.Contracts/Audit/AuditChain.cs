using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Integrity.Contracts.Audit;

/// <summary>Where a row stands in its entity's chain: its sequence number, the hash of the row before it, and its own hash.</summary>
public sealed record ChainLink(long Seq, string PreviousHash, string Hash);

/// <summary>The last row of an entity's chain, as the chain head row (and each hourly digest) records it.</summary>
public sealed record ChainHead(long Seq, string Hash);

/// <summary>
/// The hash chain of an entity's audit trail. Row <c>n</c> (from 1) carries <c>SHA-256(canonical(n, hash of row n-1,
/// row n's content))</c>; row 1's previous hash is <see cref="Genesis"/>. The canonical form (docs/audit-chain.md):
/// the UTF-8 bytes of <c>integrity-audit-chain/1\n</c>, then each field in a fixed order as a typed netstring —
/// <c>s&lt;byte length&gt;:&lt;UTF-8 bytes&gt;,</c> for a value, <c>n,</c> for null:
/// seq (decimal), previous hash (lowercase hex), entity kind, entity id, entry id, kind, occurred at and recorded at
/// (UTC, <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>), step, score (shortest round-trip decimal, invariant culture),
/// policy version, actor, details (the stored JSON text, byte for byte). Hashes are lowercase hex.
/// Pure: the engine, the export and the verifier (CLI, endpoint) all hash through here.
/// </summary>
public static class AuditChain
{
    public const string Algorithm = "sha256/integrity-audit-chain/1";

    /// <summary>The previous hash of an entity's first chained row.</summary>
    public static string Genesis { get; } = new('0', 64);

    private static readonly byte[] Preamble = Encoding.UTF8.GetBytes("integrity-audit-chain/1\n");

    public static string Hash(long seq, string previousHash, AuditRecord record) =>
        Convert.ToHexStringLower(SHA256.HashData(Canonical(seq, previousHash, record)));

    /// <summary>The bytes that are hashed (documented so that anyone can verify an export without our code).</summary>
    public static byte[] Canonical(long seq, string previousHash, AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream(256 + record.Details.Length);
        buffer.Write(Preamble);
        Field(buffer, seq.ToString(CultureInfo.InvariantCulture));
        Field(buffer, previousHash);
        Field(buffer, record.EntityKind);
        Field(buffer, record.EntityId);
        Field(buffer, record.EntryId);
        Field(buffer, record.Kind);
        Field(buffer, Timestamp(record.OccurredAt));
        Field(buffer, Timestamp(record.RecordedAt));
        Field(buffer, record.Step);
        Field(buffer, record.Score?.ToString("R", CultureInfo.InvariantCulture));
        Field(buffer, record.PolicyVersion);
        Field(buffer, record.Actor);
        Field(buffer, record.Details);
        return buffer.ToArray();
    }

    /// <summary>Links <paramref name="records"/> (in append order) after <paramref name="head"/> (null: a chain not begun).</summary>
    public static IReadOnlyList<ChainLink> Extend(ChainHead? head, IReadOnlyList<AuditRecord> records)
    {
        var links = new ChainLink[records.Count];
        var (seq, previous) = head is null ? (0L, Genesis) : (head.Seq, head.Hash);
        for (var i = 0; i < records.Count; i++)
        {
            seq++;
            var hash = Hash(seq, previous, records[i]);
            links[i] = new ChainLink(seq, previous, hash);
            previous = hash;
        }

        return links;
    }

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static void Field(MemoryStream buffer, string? value)
    {
        if (value is null)
        {
            buffer.Write("n,"u8);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        buffer.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"s{bytes.Length}:")));
        buffer.Write(bytes);
        buffer.WriteByte((byte)',');
    }
}
