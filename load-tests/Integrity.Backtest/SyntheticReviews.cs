using System.Globalization;

namespace Integrity.Backtest;

/// <summary>
/// A synthetic review CSV for timing runs (never committed): products of Zipf-like popularity, reviewers who write one
/// review or many, ratings leaning positive, over three years, in time order; a sprinkling of paid-review rings (fresh
/// accounts 5-starring one product on one day) so the engine has bursts to find.
/// </summary>
internal static class SyntheticReviews
{
    public static void Write(TextWriter output, int reviews, int seed)
    {
        var random = new Random(seed);
        var products = Math.Max(10, reviews / 120);
        var start = new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var span = TimeSpan.FromDays(3 * 365);
        var rows = new List<(DateTimeOffset At, string Reviewer, string Product, int Rating)>(reviews);
        var regulars = Math.Max(10, reviews / 20);
        var nextNewcomer = 0;
        while (rows.Count < reviews)
        {
            if (random.NextDouble() < 0.002)
            {
                // A ring: 10-30 fresh accounts, one product, one day, five stars.
                var product = $"p{random.Next(products):D6}";
                var day = start + TimeSpan.FromDays(random.Next((int)span.TotalDays));
                for (var i = random.Next(10, 31); i > 0 && rows.Count < reviews; i--) rows.Add((day + TimeSpan.FromMinutes(random.Next(24 * 60)), $"n{nextNewcomer++:D7}", product, 5));
                continue;
            }

            var reviewer = random.NextDouble() < 0.45 ? $"n{nextNewcomer++:D7}" : $"r{(int)(regulars * Math.Pow(random.NextDouble(), 2)):D7}";
            var p = (int)(products * Math.Pow(random.NextDouble(), 2.5));
            var rating = random.NextDouble() switch { < 0.38 => 5, < 0.74 => 4, < 0.87 => 3, < 0.94 => 2, _ => 1 };
            rows.Add((start + (span * random.NextDouble()), reviewer, $"p{p:D6}", rating));
        }

        output.WriteLine("seq,date,reviewer,product,rating");
        var seq = 0;
        foreach (var r in rows.OrderBy(r => r.At))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seq++},{r.At:yyyy-MM-ddTHH:mm:ssZ},{r.Reviewer},{r.Product},{r.Rating}"));
        }
    }
}
