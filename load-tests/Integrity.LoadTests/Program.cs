using System.Runtime.InteropServices;
using Integrity.Harness.Terminal;
using Integrity.LoadTests.Cli;

// Ctrl-C and SIGTERM cancel the run, so a self-hosted engine is stopped (by its PIDs) on the way out.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancel.Cancel();
});

try
{
    return await LoadTestCommandLine.InvokeAsync(args, Console.Out, Console.Error, LiveProgress.ForStandardError(TimeSpan.FromSeconds(2)), TimeProvider.System, cancel.Token);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("interrupted");
    return 130;
}
catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or TimeoutException or OperationCanceledException
    or System.Text.Json.JsonException or Azure.RequestFailedException)
{
    // Whatever the run started was stopped on the way out (finally blocks); say what failed without a crash dump.
    await Console.Error.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
