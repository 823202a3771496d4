using System.Text;

namespace Integrity.Backtest.Input;

/// <summary>One CSV record: its fields and the 1-based line it starts on (a quoted field may span lines).</summary>
internal readonly record struct CsvRecord(long Line, IReadOnlyList<string> Fields, string? Error);

/// <summary>RFC 4180 records: comma-separated, fields optionally in double quotes with "" for a quote, CRLF or LF.</summary>
internal static class CsvRecords
{
    public static IEnumerable<CsvRecord> Read(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        long line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            var start = line;
            fields.Clear();
            field.Clear();
            var quoted = false;
            string? error = null;
            var i = 0;
            while (true)
            {
                if (i == text.Length)
                {
                    if (!quoted) break;
                    // A quoted field goes on on the next line.
                    if (reader.ReadLine() is not { } next)
                    {
                        error = "a quoted field is not closed before the end of the file";
                        break;
                    }

                    line++;
                    field.Append('\n');
                    text = next;
                    i = 0;
                    continue;
                }

                var c = text[i++];
                if (quoted)
                {
                    if (c != '"') field.Append(c);
                    else if (i < text.Length && text[i] == '"') (field, i) = (field.Append('"'), i + 1);
                    else quoted = false;
                }
                else if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                }
                else if (c == '"' && field.Length == 0)
                {
                    quoted = true;
                }
                else
                {
                    field.Append(c);
                }
            }

            fields.Add(field.ToString());
            if (fields.Count == 1 && fields[0].Length == 0 && error is null) continue; // blank line
            yield return new CsvRecord(start, [.. fields], error);
        }
    }
}
