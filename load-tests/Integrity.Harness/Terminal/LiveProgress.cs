using Spectre.Console;

namespace Integrity.Harness.Terminal;

/// <summary>What a progress display shows at one moment: how far, out of how much, and a line of figures.</summary>
public readonly record struct ProgressReading(double Done, double Total, string Detail);

/// <summary>
/// Progress of a piece of work, polled: on a terminal a live Spectre.Console bar (description, bar, percentage,
/// elapsed, remaining), redrawn a few times a second; when the output is redirected, a plain line every
/// <paramref name="plainEvery"/> and one at the end, so logs stay readable.
/// </summary>
public sealed class LiveProgress(IAnsiConsole console, bool interactive, TimeProvider time, TimeSpan plainEvery)
{
    /// <summary>Progress to stderr, live when stderr is a terminal.</summary>
    public static LiveProgress ForStandardError(TimeSpan plainEvery) =>
        new(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }), !Console.IsErrorRedirected, TimeProvider.System, plainEvery);

    public async Task RunAsync(string label, Func<ProgressReading> read, Task work) => await RunAsync(label, read, Done(work));

    public async Task<T> RunAsync<T>(string label, Func<ProgressReading> read, Task<T> work)
    {
        if (!interactive)
        {
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(plainEvery, time));
                // Straight to the writer: a log line is not wrapped at the console's width.
                await console.Profile.Out.Writer.WriteLineAsync(Plain(label, read()));
            }

            return await work;
        }

        return await new Progress(console, time)
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(label, maxValue: 1);
                while (true)
                {
                    var finished = work.IsCompleted;
                    var now = read();
                    task.MaxValue = Math.Max(now.Total, 1);
                    task.Value = Math.Min(now.Done, task.MaxValue);
                    task.Description = $"{label} {Markup.Escape(now.Detail)}";
                    if (finished) break;
                    await Task.WhenAny(work, Task.Delay(TimeSpan.FromMilliseconds(250), time));
                }

                return await work;
            });
    }

    private static async Task<bool> Done(Task work)
    {
        await work;
        return true;
    }

    public static string Plain(string label, ProgressReading r) =>
        FormattableString.Invariant($"{label} {(r.Total <= 0 ? 100 : Math.Clamp(r.Done / r.Total, 0, 1) * 100),5:0.0}% {r.Detail}");
}
