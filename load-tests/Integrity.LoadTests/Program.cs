using System.Runtime.InteropServices;
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

var usage = $"""
    Integrity load harness
      dotnet run -c Release --project load-tests/Integrity.LoadTests -- <command> [options]

    {GenerateCommand.Usage}
    {RunCommand.Usage}
    """;
try
{
    var command = args.Length > 0 ? args[0] : "";
    var cl = new CommandLine(args.Skip(1).ToArray());
    return command switch
    {
        "generate" => await GenerateCommand.RunAsync(cl, Console.Out, cancel.Token),
        "run" => await RunCommand.RunAsync(cl, Console.Out, Console.Error, !Console.IsErrorRedirected, TimeProvider.System, cancel.Token),
        _ => throw new UsageException(command is "" or "--help" or "help" ? "" : $"unknown command '{command}'"),
    };
}
catch (UsageException ex)
{
    if (ex.Message.Length > 0) await Console.Error.WriteLineAsync($"error: {ex.Message}");
    await Console.Error.WriteLineAsync(usage);
    return 2;
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
