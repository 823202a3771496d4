using System.Globalization;

namespace Integrity.LoadTests.Cli;

/// <summary>A usage error: the message says which option and what was expected.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// <c>--name value</c>, <c>--name=value</c> and bare flags. Every option is looked up by the command that uses it;
/// one left over at the end is an error, so a typo never silently falls back to a default.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public CommandLine(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2) throw new UsageException($"unexpected argument '{arg}'");
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = eq > 0
                ? (arg[2..eq], arg[(eq + 1)..])
                : (arg[2..], i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
            if (!_options.TryAdd(name, value)) throw new UsageException($"--{name} is given more than once");
        }
    }

    public bool Flag(string name)
    {
        if (!_options.TryGetValue(name, out var value)) return false;
        _used.Add(name);
        return value is null || bool.Parse(value);
    }

    public string? String(string name)
    {
        if (!_options.TryGetValue(name, out var value)) return null;
        _used.Add(name);
        return value ?? throw new UsageException($"--{name} needs a value");
    }

    public int? Int(string name) => Parse(name, s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture), "an integer");

    public long? Long(string name) => Parse(name, s => long.Parse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture), "an integer");

    public double? Double(string name) => Parse(name, s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture), "a number");

    public TimeSpan? Duration(string name) => Parse(name, ParseDuration, "a duration such as 90s, 10m, 2h or 7d");

    /// <summary>Events per second, or null for "max".</summary>
    public (bool Given, double? Value) Rate(string name)
    {
        var s = String(name);
        if (s is null) return (false, null);
        return s.Equals("max", StringComparison.OrdinalIgnoreCase) ? (true, null) : (true, Parse(name, s, v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture), "a number of events/s or 'max'"));
    }

    /// <summary>Fails on any option no command asked for.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
    }

    public static TimeSpan ParseDuration(string s)
    {
        s = s.Trim();
        if (s.Contains(':', StringComparison.Ordinal)) return TimeSpan.Parse(s, CultureInfo.InvariantCulture);
        var unit = char.IsAsciiLetter(s[^1]) ? s[^1] : 's';
        var number = char.IsAsciiLetter(s[^1]) ? s[..^1] : s;
        if (s.EndsWith("ms", StringComparison.Ordinal)) return TimeSpan.FromMilliseconds(double.Parse(s[..^2], CultureInfo.InvariantCulture));
        var value = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => throw new FormatException($"unknown unit '{unit}'"),
        };
    }

    private T? Parse<T>(string name, Func<string, T> parse, string expected)
        where T : struct
    {
        var s = String(name);
        return s is null ? null : Parse(name, s, parse, expected);
    }

    private static T Parse<T>(string name, string s, Func<string, T> parse, string expected)
    {
        try
        {
            return parse(s);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
        {
            throw new UsageException($"--{name} must be {expected}, got '{s}'");
        }
    }
}
