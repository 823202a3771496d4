using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Integrity.Host.Query;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Integrity.Host.Apis;

/// <summary>
/// Reads an analyst action's body strictly, before it is bound: at most <see cref="MaxBytes"/> (a note is at most
/// 2,000 characters), answered 413 with a problem body past that, whatever the framing (chunked bodies have no length
/// to check up front); JSON with no name given twice in any object, at any depth (the last of two <c>"action"</c>s
/// must not quietly win); and an <c>until</c> with an explicit offset, never one guessed from the server's zone.
/// </summary>
public static class ActionBody
{
    public const int MaxBytes = 64 * 1024;

    private const int MaxDepth = 16;

    public static async Task<(JsonDocument? Body, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var read = await request.Body.ReadAsync(buffer.GetMemory(4096), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > MaxBytes)
                {
                    return (null, TooLarge());
                }
            }
        }
        catch (BadHttpRequestException e)
        {
            // The server's own limits or a broken framing: answered here, not left to surface as an unhandled error.
            return (null, TypedResults.Problem(detail: $"The request body could not be read: {e.Message}", statusCode: e.StatusCode, title: "Bad request body"));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            return (null, EntitiesApi.BadRequest($"The body is not a valid action: {e.Message}"));
        }

        string? problem;
        try
        {
            problem = DuplicateName(document.RootElement, "") is { } path
                ? $"The body is not a valid action: \"{EntitiesApi.Shorten(path)}\" appears more than once."
                : document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("until", out var until) && until.ValueKind == JsonValueKind.String
                    && !QueryParameters.TryTime(until.GetString(), "until", out _, out var timeProblem)
                    ? timeProblem
                    : null;
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate escaped in a name or value cannot become text.
            problem = "The body is not a valid action: it holds an escaped character that is not valid Unicode.";
        }

        if (problem is not null)
        {
            document.Dispose();
            return (null, EntitiesApi.BadRequest(problem));
        }

        return (document, null);
    }

    /// <summary>The path of the first name that appears twice in one object, anywhere in <paramref name="element"/>.</summary>
    private static string? DuplicateName(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var name = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (!seen.Add(property.Name))
                    {
                        return name;
                    }

                    if (DuplicateName(property.Value, name) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (DuplicateName(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]")) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem(
            detail: string.Create(CultureInfo.InvariantCulture, $"An action body is at most {MaxBytes:N0} bytes (a note at most {EntitiesApi.MaxNoteLength:N0} characters)."),
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large");
}
