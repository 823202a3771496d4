using System.Collections.Concurrent;
using Integrity.Domain.Events;
using Integrity.Domain.Wire;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Security;

/// <summary>
/// Logs failed authentications at most once per client address per <see cref="SecurityOptions.AuthFailureLogInterval"/>,
/// saying how many were left unlogged since: 4,000 bad requests are one line per client and minute, not 16,000 lines.
/// The address is logged only as a keyed hash (addresses are personal data), enough to tell clients apart and to
/// match an address one already suspects.
/// </summary>
public sealed partial class AuthFailureLog(IOptions<SecurityOptions> options, IdentifierHasher hasher, TimeProvider time, ILogger<AuthFailureLog> logger)
{
    /// <summary>Clients remembered before the quiet ones are forgotten.</summary>
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<string, Window> _clients = new(StringComparer.Ordinal);
    private readonly TimeSpan _interval = options.Value.AuthFailureLogInterval;

    private sealed class Window(DateTimeOffset loggedAt)
    {
        public DateTimeOffset LoggedAt = loggedAt;
        public int Unlogged;
    }

    public void Report(HttpContext context, string failure)
    {
        var address = ClientAddress.Of(context) ?? "unknown";
        var now = time.GetUtcNow();
        var window = _clients.GetOrAdd(address, static _ => new Window(DateTimeOffset.MinValue));
        int unlogged;
        lock (window)
        {
            if (now - window.LoggedAt < _interval)
            {
                window.Unlogged++;
                return;
            }

            unlogged = window.Unlogged;
            window.Unlogged = 0;
            window.LoggedAt = now;
        }

        var client = hasher.Hash(IdentifierKind.Ip, address)?[..12] ?? "unknown";
        LogAuthenticationFailed(logger, failure, context.Request.Path, client, unlogged, _interval.TotalSeconds);
        if (_clients.Count > PruneAbove)
        {
            foreach (var (key, quiet) in _clients)
            {
                if (now - quiet.LoggedAt >= _interval)
                {
                    _clients.TryRemove(key, out _);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed ({Failure}) on {Path} from client {ClientHash}; {Unlogged} more from it since its previous line went unlogged (one line per client per {IntervalSeconds} s)")]
    private static partial void LogAuthenticationFailed(ILogger logger, string failure, PathString path, string clientHash, int unlogged, double intervalSeconds);
}
