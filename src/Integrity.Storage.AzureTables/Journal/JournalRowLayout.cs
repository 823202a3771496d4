using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Azure.Data.Tables;
using Integrity.Domain.Events;
using Integrity.Domain.Serialization;
using Integrity.Storage.AzureTables.GrainStorage;

namespace Integrity.Storage.AzureTables.Journal;

/// <summary>
/// The journal table's row layout. PartitionKey <c>p{partition:D3}</c>; RowKey the sequence number as 19 zero-padded
/// digits (sorts numerically), from 1, gap-free; properties <c>Count</c>, <c>Format</c> = <c>gzip-json-v1</c>,
/// <c>AppendedAt</c>, and the gzip of the UTF-8 JSON array of events (DomainJson, <c>type</c> discriminator) split
/// over binary <c>Data</c>, <c>Data1</c> … <c>Data14</c> of ≤ 64 KiB each. One row per partition with RowKey
/// <c>head</c> (after every digit) holds <c>Next</c>, the next sequence number; it is written in the same
/// entity-group transaction as the rows it accounts for.
/// </summary>
public static class JournalRowLayout
{
    public const string HeadRowKey = "head";
    public const string CurrentFormat = "gzip-json-v1";
    public const string CountProperty = "Count";
    public const string FormatProperty = "Format";
    public const string AppendedAtProperty = "AppendedAt";
    public const string NextProperty = "Next";

    public static string RowKey(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>One event as it appears inside a row's JSON array.</summary>
    public static byte[] SerializeEvent(IntegrityEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, DomainJson.Options);

    /// <summary>gzip of <c>[e1,e2,…]</c> built from already serialized events: the same bytes as serializing the list.</summary>
    public static byte[] Compress(IReadOnlyList<byte[]> serializedEvents, int start, int count)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write("["u8);
            for (var i = start; i < start + count; i++)
            {
                if (i > start)
                {
                    gzip.Write(","u8);
                }

                gzip.Write(serializedEvents[i]);
            }

            gzip.Write("]"u8);
        }

        return buffer.ToArray();
    }

    public static TableEntity Row(string partitionKey, long sequence, byte[] compressed, int count, DateTimeOffset appendedAt)
    {
        var entity = GrainStateRow.Create(partitionKey, RowKey(sequence), compressed);
        entity[CountProperty] = count;
        entity[FormatProperty] = CurrentFormat;
        entity[AppendedAtProperty] = appendedAt;
        return entity;
    }

    public static TableEntity Head(string partitionKey, long next, DateTimeOffset at) => new(partitionKey, HeadRowKey)
    {
        [NextProperty] = next,
        [AppendedAtProperty] = at,
    };

    public static JournalRow Read(int partition, TableEntity entity)
    {
        var sequence = long.Parse(entity.RowKey, NumberStyles.None, CultureInfo.InvariantCulture);
        var format = entity.GetString(FormatProperty);
        if (format != CurrentFormat)
        {
            throw new InvalidDataException($"Journal row {entity.PartitionKey}/{entity.RowKey} has format '{format}'; this version reads '{CurrentFormat}'.");
        }

        try
        {
            using var gzip = new GZipStream(new MemoryStream(GrainStateRow.ReadData(entity)), CompressionMode.Decompress);
            var events = JsonSerializer.Deserialize<IReadOnlyList<IntegrityEvent>>(gzip, DomainJson.Options) ?? [];
            return new JournalRow(partition, sequence, events, entity.GetDateTimeOffset(AppendedAtProperty) ?? default);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            throw new InvalidDataException($"Journal row {entity.PartitionKey}/{entity.RowKey} could not be read: {e.Message}", e);
        }
    }
}
