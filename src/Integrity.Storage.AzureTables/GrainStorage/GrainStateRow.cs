using Azure.Data.Tables;

namespace Integrity.Storage.AzureTables.GrainStorage;

/// <summary>
/// The data layout of Orleans' AzureTableGrainStorage (which writes the engine's grain state): bytes split over
/// binary properties <c>Data</c>, <c>Data1</c> … <c>Data14</c> of at most 64 KiB each. The journal's rows use it too.
/// </summary>
public static class GrainStateRow
{
    public const int MaxChunkBytes = 64 * 1024;
    public const int MaxChunks = 15;
    public const int MaxStateBytes = MaxChunkBytes * MaxChunks;
    private const string DataProperty = "Data";

    private static readonly string[] PropertyNames =
        [DataProperty, .. Enumerable.Range(1, MaxChunks - 1).Select(i => DataProperty + i)];

    /// <summary>Builds a row holding <paramref name="data"/>; fails before any I/O when it cannot fit.</summary>
    public static TableEntity Create(string partitionKey, string rowKey, ReadOnlyMemory<byte> data)
    {
        if (data.Length > MaxStateBytes)
        {
            throw new GrainStateTooLargeException(partitionKey, rowKey, data.Length, MaxStateBytes);
        }

        var entity = new TableEntity(partitionKey, rowKey);
        for (int offset = 0, chunk = 0; offset < data.Length; offset += MaxChunkBytes, chunk++)
        {
            var length = Math.Min(MaxChunkBytes, data.Length - offset);
            entity[PropertyNames[chunk]] = data.Slice(offset, length).ToArray();
        }

        return entity;
    }

    /// <summary>Joins the chunks back; an empty row (a cleared state) gives an empty array.</summary>
    public static byte[] ReadData(TableEntity entity)
    {
        var chunks = new List<byte[]>(1);
        foreach (var name in PropertyNames)
        {
            switch (entity.TryGetValue(name, out var value) ? value : null)
            {
                case byte[] { Length: > 0 } bytes:
                    chunks.Add(bytes);
                    break;
                case BinaryData binary when !binary.IsEmpty:
                    chunks.Add(binary.ToArray());
                    break;
                case string { Length: > 0 } base64:
                    // Rows written without type metadata come back as base64 strings.
                    chunks.Add(Convert.FromBase64String(base64));
                    break;
            }
        }

        return chunks.Count == 1 ? chunks[0] : [.. chunks.SelectMany(c => c)];
    }
}
