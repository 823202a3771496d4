using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace Integrity.Testing;

/// <summary>The samples of one Prometheus text-format scrape: <c>name{label="value",...} number</c> per line.</summary>
public sealed partial class PrometheusScrape
{
    private readonly List<(string Name, IReadOnlyDictionary<string, string> Labels, double Value)> _samples;

    private PrometheusScrape(string text, List<(string, IReadOnlyDictionary<string, string>, double)> samples)
    {
        Text = text;
        _samples = samples;
    }

    public string Text { get; }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<(string, IReadOnlyDictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            var match = SamplePattern().Match(line.TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }

            var labels = LabelPattern().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add((match.Groups["name"].Value, labels, value));
        }

        return new PrometheusScrape(text, samples);
    }

    /// <summary>GET /metrics with <paramref name="viewer"/> (a client holding a viewer key), parsed.</summary>
    public static async Task<PrometheusScrape> ReadAsync(HttpClient viewer)
    {
        using var response = await viewer.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics answered {(int)response.StatusCode}: {text}");
        return Parse(text);
    }

    /// <summary>Scrapes until <paramref name="done"/> holds; returns that scrape.</summary>
    public static async Task<PrometheusScrape> WaitForAsync(HttpClient viewer, Func<PrometheusScrape, bool> done, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var scrape = await ReadAsync(viewer);
            if (done(scrape))
            {
                return scrape;
            }

            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"/metrics did not reach the expected state within {timeout.TotalSeconds:0}s:\n{scrape.Text}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Sum of the samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/> ("key=value").</summary>
    public double Sum(string name, params string[] labels)
    {
        var wanted = labels.Select(l => l.Split('=', 2)).ToList();
        return _samples.Where(s => s.Name == name && wanted.All(w => s.Labels.TryGetValue(w[0], out var v) && v == w[1])).Sum(s => s.Value);
    }

    public bool Has(string name) => _samples.Any(s => s.Name == name);

    public IEnumerable<string> Names => _samples.Select(s => s.Name).Distinct();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SamplePattern();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(\\.|[^""\\])*)""")]
    private static partial Regex LabelPattern();
}
