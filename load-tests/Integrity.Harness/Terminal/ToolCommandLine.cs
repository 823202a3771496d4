using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;

namespace Integrity.Harness.Terminal;

/// <summary>A usage error found after parsing (options that do not go together, a value out of range): exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The conventions every harness tool shares on top of System.CommandLine: <c>--help</c> on every command (exit 0),
/// a parse error (an unknown option, a typo, a bad value) named on stderr with the help after it and exit code 2,
/// and the same for a <see cref="UsageException"/> thrown by a command once its options are read.
/// </summary>
public static class ToolCommandLine
{
    public const int UsageError = 2;

    public static async Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parsed = root.Parse(args);
        var failed = parsed.Action is ParseErrorAction;

        // On a parse error the help follows the error on stderr, so stdout stays clean for what a command writes.
        var configuration = new InvocationConfiguration { Output = failed ? error : output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            var code = await parsed.InvokeAsync(configuration, cancellationToken);
            return failed ? UsageError : code;
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return UsageError;
        }
    }

    /// <summary>An option read with <paramref name="parse"/>; a value it refuses is a parse error naming the option.</summary>
    public static Option<T> Option<T>(string name, string description, Func<string, T> parse, string expected)
    {
        var option = new Option<T>(name) { Description = description };
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            try
            {
                return parse(text);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                result.AddError($"{name} must be {expected}, got '{text}'");
                return default!;
            }
        };
        return option;
    }

    /// <summary>A count such as 150000 or 150_000 (underscores group digits).</summary>
    public static Option<long?> Count(string name, string description) =>
        Option<long?>(name, description, s => long.Parse(s.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture), "a whole number such as 150000 or 150_000");

    /// <summary>A duration such as 90s, 250ms, 10m, 2h, 7d or 00:02:00.</summary>
    public static Option<TimeSpan?> Duration(string name, string description) =>
        Option<TimeSpan?>(name, description, s => ParseDuration(s), "a duration such as 90s, 10m, 2h or 7d");

    /// <summary>Events per second, or <c>max</c>: as fast as the engine answers (read with <see cref="RateValue"/>).</summary>
    public static Option<double> Rate(string name, string description)
    {
        var option = Option(name, description, s => s.Equals("max", StringComparison.OrdinalIgnoreCase) ? double.PositiveInfinity : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture), "a number of events/s or 'max'");
        option.DefaultValueFactory = _ => double.PositiveInfinity;
        return option;
    }

    /// <summary>A <see cref="Rate"/> option's value: null for <c>max</c> or when not given.</summary>
    public static double? RateValue(ParseResult result, string name) => result.GetValue<double>(name) is var rate && double.IsPositiveInfinity(rate) ? null : rate;

    public static TimeSpan ParseDuration(string s)
    {
        s = s.Trim();
        if (s.Length == 0) throw new FormatException("empty");
        if (s.Contains(':', StringComparison.Ordinal)) return TimeSpan.Parse(s, CultureInfo.InvariantCulture);
        if (s.EndsWith("ms", StringComparison.Ordinal)) return TimeSpan.FromMilliseconds(double.Parse(s[..^2], CultureInfo.InvariantCulture));
        var unit = char.IsAsciiLetter(s[^1]) ? s[^1] : 's';
        var value = double.Parse(char.IsAsciiLetter(s[^1]) ? s[..^1] : s, NumberStyles.Float, CultureInfo.InvariantCulture);
        return unit switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => throw new FormatException($"unknown unit '{unit}'"),
        };
    }
}
