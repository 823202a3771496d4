using System.Diagnostics;
using System.Globalization;
using System.Text;
using Integrity.Testing;

namespace Integrity.LoadTests.Race;

/// <summary>
/// What one phase of the race cost: the CPU each of its processes used (host, Azurite, the sender: this process), and
/// the bytes the engine allocated, from <see cref="StartAsync"/> to <see cref="DescribeAsync"/>. CPU comes from the
/// operating system's account of each process (<see cref="Process.TotalProcessorTime"/>); allocations from the host's
/// own runtime counter on <c>/metrics</c>, or from this process's when the app runs in it (phase a).
/// </summary>
public sealed class PhaseCost
{
    private readonly List<(string Name, Process Process, TimeSpan Start)> _processes = [];
    private readonly Func<CancellationToken, Task<double?>> _allocated;
    private double? _allocatedAtStart;

    private PhaseCost(Func<CancellationToken, Task<double?>> allocated) => _allocated = allocated;

    /// <summary>Starts measuring the named processes (a null id is a process that is not running: left out).</summary>
    /// <param name="allocated">Bytes allocated so far by the engine's runtime, or null when it cannot be read.</param>
    public static async Task<PhaseCost> StartAsync(IEnumerable<(string Name, int? ProcessId)> processes, Func<CancellationToken, Task<double?>> allocated, CancellationToken cancellationToken)
    {
        var cost = new PhaseCost(allocated);
        foreach (var (name, id) in processes)
        {
            if (id is not { } pid)
            {
                continue;
            }

            var process = pid == Environment.ProcessId ? Process.GetCurrentProcess() : Process.GetProcessById(pid);
            cost._processes.Add((name, process, process.TotalProcessorTime));
        }

        cost._allocatedAtStart = await allocated(cancellationToken);
        return cost;
    }

    /// <summary>This process's allocations (all threads): for an app that runs in the race's own process.</summary>
    public static Task<double?> AllocatedInThisProcess(CancellationToken cancellationToken) => Task.FromResult<double?>(GC.GetTotalAllocatedBytes(precise: false));

    /// <summary>The host's allocations so far, from its Prometheus scrape (the runtime's <c>dotnet.gc.heap.total_allocated</c>), read with a viewer key.</summary>
    public static Func<CancellationToken, Task<double?>> AllocatedByHost(HttpClient http, Uri host, string viewerKey) => async cancellationToken =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host, "/metrics"));
        request.Headers.Add("X-Api-Key", viewerKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var scrape = PrometheusScrape.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return scrape.Names.FirstOrDefault(n => n.StartsWith("dotnet_gc_heap_total_allocated", StringComparison.Ordinal)) is { } name ? scrape.Sum(name) : null;
    };

    /// <summary>"CPU host 37.1 s (0.25 ms/event), Azurite …; allocated 3.2 KB/event" over <paramref name="events"/> events.</summary>
    public async Task<string> DescribeAsync(int events, CancellationToken cancellationToken)
    {
        var perEvent = Math.Max(events, 1);
        var text = new StringBuilder("CPU ").AppendJoin(", ", _processes.Select(p =>
        {
            p.Process.Refresh();
            var used = p.Process.HasExited ? TimeSpan.Zero : p.Process.TotalProcessorTime - p.Start;
            return string.Create(CultureInfo.InvariantCulture, $"{p.Name} {used.TotalSeconds:0.0} s ({used.TotalMilliseconds / perEvent:0.00} ms/event)");
        }));
        var allocatedAtEnd = await _allocated(cancellationToken);
        text.Append(_allocatedAtStart is { } a0 && allocatedAtEnd is { } a1
            ? string.Create(CultureInfo.InvariantCulture, $"; allocated {(a1 - a0) / perEvent / 1024:0.0} KB/event")
            : "; allocations not read");
        return text.ToString();
    }
}
