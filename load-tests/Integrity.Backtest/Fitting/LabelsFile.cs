using System.Globalization;
using Integrity.Backtest.Input;
using Integrity.Harness.Terminal;

namespace Integrity.Backtest.Fitting;

/// <summary>
/// A labelled outcome file: a CSV whose header names the history's review key (<c>seq</c> or <c>id</c>, the column the
/// history used) and a 0/1 label column (default <c>is_filtered</c>, YelpChi's); other columns are ignored.
/// </summary>
internal static class LabelsFile
{
    public const string DefaultLabelColumn = "is_filtered";

    /// <returns>Review key → label.</returns>
    /// <exception cref="InvalidDataException">No such file, a missing column, a label other than 0/1, a repeated key; the message names the file, line and column.</exception>
    public static Dictionary<string, bool> Read(string path, string keyColumn, string labelColumn)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"--labels {path}: no such file");
        var labels = new Dictionary<string, bool>(StringComparer.Ordinal);
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        int? key = null, label = null;
        var width = 0;
        foreach (var record in CsvRecords.Read(reader))
        {
            if (key is null)
            {
                var names = record.Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
                width = names.Count;
                var k = names.IndexOf(keyColumn.ToLowerInvariant());
                var l = names.IndexOf(labelColumn.ToLowerInvariant());
                if (k < 0) throw new InvalidDataException($"{path}: line {record.Line}: no column '{keyColumn}' (the history's review key); the header has {string.Join(",", names)}");
                if (l < 0) throw new InvalidDataException($"{path}: line {record.Line}: no label column '{labelColumn}' (--label-column); the header has {string.Join(",", names)}");
                (key, label) = (k, l);
                continue;
            }

            if (record.Error is not null) throw new InvalidDataException($"{path}: line {record.Line}: {record.Error}");
            if (record.Fields.Count != width) throw new InvalidDataException($"{path}: line {record.Line}: {record.Fields.Count} fields, the header has {width}");
            var id = record.Fields[key.Value].Trim();
            var value = record.Fields[label!.Value].Trim();
            var positive = value switch
            {
                "1" => true,
                "0" => false,
                _ => throw new InvalidDataException($"{path}: line {record.Line}: {labelColumn} must be 0 or 1, got \"{value}\""),
            };
            if (!labels.TryAdd(id, positive)) throw new InvalidDataException($"{path}: line {record.Line}: {keyColumn} \"{id}\" is labelled twice");
        }

        if (key is null) throw new InvalidDataException($"{path}: the file is empty: expected a header with {keyColumn} and {labelColumn}");
        return labels;
    }

    /// <summary>"2008-10-12" (through the end of that day, UTC) or an ISO 8601 time: the last moment that counts.</summary>
    public static DateTimeOffset ParseUntil(string value)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1).AddTicks(-1);
        }

        if (value.Contains('T', StringComparison.Ordinal) &&
            DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        throw new UsageException($"--until must be a date (2008-10-12) or an ISO 8601 time, got \"{value}\"");
    }
}
