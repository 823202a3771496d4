using System.Globalization;
using Integrity.Domain.Events;

namespace Integrity.Backtest.Input;

/// <summary>
/// A plain review history: header <c>date,reviewer,product,rating</c> plus optional <c>seq</c> or <c>id</c> and
/// <c>text</c>, in any column order. Each row becomes a review posted: the product stands in for both listing and seller,
/// and with no orders every review is unverified. Dates are ISO 8601 (a bare date is midnight UTC). A row without an
/// id is numbered by its place among the data rows (0-based).
/// </summary>
internal static class ReviewCsvReader
{
    public const int MaxIdLength = 128;
    public const int MaxTextLength = 4000;

    private static readonly string[] Required = ["date", "reviewer", "product", "rating"];

    public static InputBatch Read(TextReader reader)
    {
        var events = new List<InputEvent>();
        var rejected = new List<RejectedLine>();
        Dictionary<string, int>? columns = null;
        var keyColumn = "seq";
        int? idIndex = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long lines = 0;
        long row = -1;

        foreach (var record in CsvRecords.Read(reader))
        {
            lines = record.Line;
            if (columns is null)
            {
                columns = record.Fields.Select((name, i) => (Name: name.Trim().ToLowerInvariant(), i)).GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
                var missing = Required.Where(c => !columns.ContainsKey(c)).ToList();
                if (missing.Count > 0 || record.Error is not null)
                {
                    throw new InvalidDataException($"line {record.Line}: the header must name date,reviewer,product,rating (optional seq or id, text); missing {string.Join(", ", missing)}");
                }

                if (columns.TryGetValue("seq", out var seq)) idIndex = seq;
                else if (columns.TryGetValue("id", out var id)) (idIndex, keyColumn) = (id, "id");
                continue;
            }

            row++;
            if (record.Error is not null)
            {
                rejected.Add(new RejectedLine(record.Line, "MALFORMED_CSV", record.Error));
                continue;
            }

            if (record.Fields.Count != columns.Count)
            {
                rejected.Add(new RejectedLine(record.Line, "MALFORMED_CSV", $"{record.Fields.Count} fields, the header has {columns.Count}"));
                continue;
            }

            var error = TryParse(record, columns, idIndex, row, out var review);
            if (error is null && !seen.Add(review!.ReviewId)) error = ("DUPLICATE_ID", $"{keyColumn} \"{review.ReviewId}\" appeared on an earlier line");
            if (error is { } e) rejected.Add(new RejectedLine(record.Line, e.Code, e.Reason));
            else events.Add(new InputEvent(review!, record.Line, review!.ReviewId));
        }

        if (columns is null) throw new InvalidDataException("the file is empty: expected a header date,reviewer,product,rating");
        return new InputBatch(events, rejected, keyColumn, lines);
    }

    private static (string Code, string Reason)? TryParse(CsvRecord record, Dictionary<string, int> columns, int? idIndex, long row, out ReviewPosted? review)
    {
        review = null;
        string Field(string name) => record.Fields[columns[name]].Trim();

        var id = idIndex is { } i ? record.Fields[i].Trim() : row.ToString(CultureInfo.InvariantCulture);
        if (id.Length is 0 or > MaxIdLength) return ("INVALID_VALUE", $"id must be 1..{MaxIdLength} characters, got {id.Length}");
        var reviewer = Field("reviewer");
        var product = Field("product");
        if (reviewer.Length is 0 or > MaxIdLength) return ("INVALID_VALUE", $"reviewer must be 1..{MaxIdLength} characters, got {reviewer.Length}");
        if (product.Length is 0 or > MaxIdLength) return ("INVALID_VALUE", $"product must be 1..{MaxIdLength} characters, got {product.Length}");
        if (!int.TryParse(Field("rating"), NumberStyles.None, CultureInfo.InvariantCulture, out var rating) || rating is < 1 or > 5)
        {
            return ("INVALID_VALUE", $"rating must be a whole number 1..5, got \"{Field("rating")}\"");
        }

        if (!TryParseDate(Field("date"), out var at)) return ("INVALID_VALUE", $"date must be ISO 8601 (2012-10-31 or 2012-10-31T14:05:00Z), got \"{Field("date")}\"");
        var text = columns.ContainsKey("text") ? record.Fields[columns["text"]] : "";
        if (text.Length > MaxTextLength) return ("TOO_LONG", $"text is {text.Length} characters, limit {MaxTextLength}");

        review = new ReviewPosted($"review-{id}", at, id, product, product, reviewer, rating, text);
        return null;
    }

    private static bool TryParseDate(string s, out DateTimeOffset at)
    {
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            at = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at) && s.Contains('T', StringComparison.Ordinal);
    }
}
