using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Integrity.Host.Security;

/// <summary>
/// Authenticates a request by its API key (<c>X-Api-Key: key</c> or <c>Authorization: ApiKey key</c>).
/// No key or an unknown key → 401; a key without the endpoint's role → 403; each with a JSON problem body. Failures are
/// logged by <see cref="AuthFailureLog"/> (at most once per client per interval); the base class's per-request lines
/// under this category are filtered below Warning where the host is built.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore keys,
    AuthFailureLog failures) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    private const string AuthorizationPrefix = "ApiKey ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey(Request);
        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (keys.Find(presented) is not { } match)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var claims = ApiRoles.Granted(match.Role).Select(r => new Claim(ClaimTypes.Role, r))
            .Append(new Claim(ApiRoles.KeyRoleClaim, match.Role))
            .Append(new Claim(ApiRoles.KeyHashClaim, match.KeyHashPrefix))
            .Append(new Claim(ClaimTypes.Name, $"{match.Role}-key-{match.KeyHashPrefix}"));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted)
        {
            // Another scheme of the endpoint's policy (a stream ticket) has already answered.
            return;
        }

        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var presented = PresentedKey(Request) is not null;
        failures.Report(Context, presented ? "unknown API key" : "no API key");
        var detail = presented
            ? "The API key is not valid."
            : $"An API key is required: send it in the {HeaderName} header (or as 'Authorization: ApiKey <key>').";
        await Results.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted)
        {
            return;
        }

        var required = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .SelectMany(a => new[] { a.Policy, a.Roles })
            .Where(r => !string.IsNullOrEmpty(r))
            .Distinct()
            .ToList() ?? [];
        var role = Context.User.FindFirst(ApiRoles.KeyRoleClaim)?.Value ?? "none";
        var detail = required.Count > 0
            ? $"This endpoint needs an API key with role '{string.Join("' or '", required)}'; the key presented has role '{role}'."
            : $"The key presented (role '{role}') may not use this endpoint.";
        await Results.Problem(detail: detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(Context);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && header.Count > 0 && !string.IsNullOrWhiteSpace(header[0]))
        {
            return header[0]!.Trim();
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith(AuthorizationPrefix, StringComparison.OrdinalIgnoreCase) && authorization.Length > AuthorizationPrefix.Length
            ? authorization[AuthorizationPrefix.Length..].Trim()
            : null;
    }
}
