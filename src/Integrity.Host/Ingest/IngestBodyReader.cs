using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Integrity.Host.Ingest;

/// <summary>Feeds a request body to an <see cref="IngestBatch"/> line by line (NDJSON) or element by element (JSON array).</summary>
public static class IngestBodyReader
{
    /// <summary>
    /// Streams NDJSON: only the current line is held, and a line over the limit is skipped as it arrives
    /// (its first 32 KiB kept for the dead letter), so a huge line costs no memory.
    /// </summary>
    public static async Task ReadNdjsonAsync(Stream body, IngestBatch batch, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        var line = 0;
        Oversized? oversized = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } newline)
                {
                    var content = buffer.Slice(0, newline);
                    if (oversized is not null)
                    {
                        oversized.Append(content);
                        oversized.Finish(batch);
                        oversized = null;
                    }
                    else
                    {
                        AddLine(batch, ++line, content);
                    }

                    buffer = buffer.Slice(buffer.GetPosition(1, newline));
                }

                if (oversized is null && buffer.Length > batch.MaxLineBytes)
                {
                    oversized = new Oversized(++line);
                }

                if (oversized is not null)
                {
                    oversized.Append(buffer);
                    buffer = buffer.Slice(buffer.End);
                }

                if (result.IsCompleted)
                {
                    if (oversized is not null)
                    {
                        oversized.Finish(batch);
                    }
                    else if (!buffer.IsEmpty)
                    {
                        AddLine(batch, ++line, buffer);
                    }

                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>
    /// A JSON array of events (or one event object). The body, bounded by Ingest:MaxBodyBytes, is held as bytes
    /// (never as a string); each element is parsed on its own, numbered from 1 like lines.
    /// Returns false when the body is neither an array nor an object.
    /// </summary>
    public static async Task<bool> ReadJsonAsync(Stream body, IngestBatch batch, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, cancellationToken);
        return ReadJson(new ReadOnlySpan<byte>(buffer.GetBuffer(), 0, (int)buffer.Length), batch);
    }

    private static bool ReadJson(ReadOnlySpan<byte> data, IngestBatch batch)
    {
        if (data.StartsWith("\uFEFF"u8))
        {
            data = data[3..];
        }

        if (data.Trim(" \t\r\n"u8).IsEmpty)
        {
            return true; // whitespace only: an empty batch
        }

        var reader = new Utf8JsonReader(data, new JsonReaderOptions { MaxDepth = 256, CommentHandling = JsonCommentHandling.Disallow });
        var element = 0;
        var reading = 1;
        long restStart = 0;
        try
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                batch.Add(1, data);
                return true;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return false;
            }

            restStart = reader.BytesConsumed;
            while (true)
            {
                reading = element + 1;
                if (!reader.Read())
                {
                    throw new JsonException("the array is not closed");
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                element = reading;
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                batch.Add(element, data[start..(int)reader.BytesConsumed]);
                restStart = reader.BytesConsumed;
            }

            reading = element + 1;
            if (reader.Read())
            {
                throw new JsonException("unexpected content after the end of the array");
            }
        }
        catch (JsonException e)
        {
            batch.AddUnreadableRest(
                reading,
                $"the JSON array is malformed at element {reading} ({e.Message}); the rest of the body could not be read",
                data[(int)Math.Min(restStart, data.Length)..]);
        }

        return true;
    }

    private static void AddLine(IngestBatch batch, int line, ReadOnlySequence<byte> content)
    {
        if (content.IsSingleSegment)
        {
            batch.Add(line, content.FirstSpan);
        }
        else
        {
            batch.Add(line, content.ToArray());
        }
    }

    /// <summary>A line being skipped for its size: its start is kept, its length counted.</summary>
    private sealed class Oversized(int line)
    {
        private readonly ArrayBufferWriter<byte> _start = new(4096);
        private long _bytes;

        public void Append(ReadOnlySequence<byte> part)
        {
            _bytes += part.Length;
            var room = Storage.AzureTables.DeadLetters.DeadLetterTable.MaxRawBytes - _start.WrittenCount;
            if (room > 0)
            {
                foreach (var segment in part.Slice(0, Math.Min(room, part.Length)))
                {
                    _start.Write(segment.Span);
                }
            }
        }

        public void Finish(IngestBatch batch) => batch.AddOversized(line, _start.WrittenSpan.TrimEnd((byte)'\r'), _bytes);
    }
}
