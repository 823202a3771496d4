using System.Globalization;
using System.Text;

namespace Integrity.Backtest.Output;

/// <summary>Writes RFC 4180 CSV: a field is quoted when it holds a comma, quote or line break.</summary>
internal sealed class CsvOut(TextWriter writer) : IDisposable
{
    private readonly StringBuilder _line = new();

    public static CsvOut Create(string path) => new(new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" });

    public void Dispose() => writer.Dispose();

    public void Row(params object?[] fields)
    {
        _line.Clear();
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) _line.Append(',');
            var text = fields[i] switch
            {
                null => "",
                double d => d.ToString("0.####", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var o => o.ToString() ?? "",
            };
            if (text.AsSpan().IndexOfAny(",\"\r\n") >= 0) _line.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else _line.Append(text);
        }

        writer.WriteLine(_line);
    }
}
