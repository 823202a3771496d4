using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Security;

/// <summary>
/// Authenticates <c>?ticket=</c> (see <see cref="StreamTickets"/>). Only the live decisions feed lists this scheme in
/// its authorization, so a ticket opens nothing else; it carries the viewer role only, and the issuing key's hash prefix so
/// the per-key rate limit and the per-key cap on live feeds still apply. A ticket opens one connection, and only while
/// its key is still configured.
/// </summary>
public sealed class StreamTicketAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    StreamTickets tickets,
    ApiKeyStore keys,
    AuthFailureLog failures) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "StreamTicket";
    public const string QueryName = "ticket";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Query.TryGetValue(QueryName, out var values) || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (tickets.Redeem(values[0]!) is not { } keyHash || !keys.IsConfigured(keyHash))
        {
            return Task.FromResult(AuthenticateResult.Fail("The stream ticket is not valid."));
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Role, ApiRoles.Viewer),
                new Claim(ApiRoles.KeyRoleClaim, ApiRoles.Viewer),
                new Claim(ApiRoles.KeyHashClaim, keyHash),
                new Claim(ClaimTypes.Name, $"stream-ticket-{keyHash}"),
            ],
            SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <summary>A presented ticket that failed gets its own answer; otherwise the API-key scheme answers the challenge.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!Request.Query.ContainsKey(QueryName))
        {
            return;
        }

        failures.Report(Context, "invalid stream ticket");
        Response.Headers.WWWAuthenticate = $"{ApiKeyAuthenticationHandler.SchemeName} header=\"{ApiKeyAuthenticationHandler.HeaderName}\"";
        await Results.Problem(
            detail: "The stream ticket is not valid or has expired, or was used already (a ticket opens one connection); get a new one from POST /v1/decisions/stream/ticket with a viewer key.",
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Unauthorized").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }
}
