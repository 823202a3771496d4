using System.Security.Claims;
using Integrity.Host.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace Integrity.Host.Hosting;

/// <summary>
/// The Orleans Dashboard (silos, grain activations, call rates, reminders, the live log) at <see cref="Path"/>, for the
/// analyst role. API clients send an analyst key as everywhere else. A browser cannot add the header to the dashboard's
/// own requests, so <c>POST /v1/orleans-dashboard/session</c> with an analyst key sets a cookie (HttpOnly,
/// SameSite=Strict, scoped to <see cref="Path"/>, <see cref="OrleansDashboardOptions.SessionLifetime"/>) that opens the
/// dashboard alone; it stops working as soon as its key is removed from configuration.
/// </summary>
public static class OrleansDashboardHostBuilderExtensions
{
    public const string Path = "/orleans-dashboard";

    public const string SessionPath = "/v1/orleans-dashboard/session";

    public const string CookieScheme = "OrleansDashboardCookie";

    public const string CookieName = "integrity-orleans-dashboard";

    public static WebApplicationBuilder AddIntegrityOrleansDashboard(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(OrleansDashboardOptions.Section);
        builder.Services.AddValidatedOptions<OrleansDashboardOptions>(section);
        if (!(section.Get<OrleansDashboardOptions>() ?? new OrleansDashboardOptions()).Enabled)
        {
            return builder;
        }

        // UseOrleans again configures the same silo builder.
        builder.UseOrleans(silo => silo.AddDashboard(section.Bind));
        builder.Services.AddAuthentication()
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.Path = Path;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.SlidingExpiration = false;
                // The API-key scheme, listed first, answers 401/403 with a problem body; the cookie adds nothing to it.
                cookie.Events.OnRedirectToLogin = c => Answer(c.Response, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = c => Answer(c.Response, StatusCodes.Status403Forbidden);
                cookie.Events.OnValidatePrincipal = c =>
                {
                    var keys = c.HttpContext.RequestServices.GetRequiredService<ApiKeyStore>();
                    if (c.Principal?.FindFirstValue(ApiRoles.KeyHashClaim) is not { } hash || !keys.IsConfigured(hash))
                    {
                        c.RejectPrincipal();
                    }

                    return Task.CompletedTask;
                };
            });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<IOptions<OrleansDashboardOptions>>((cookie, options) => cookie.ExpireTimeSpan = options.Value.SessionLifetime);
        return builder;
    }

    public static WebApplication MapIntegrityOrleansDashboard(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<OrleansDashboardOptions>>().Value.Enabled)
        {
            return app;
        }

        // The API-key scheme first: with neither a key nor a cookie, its 401 (with a problem body) is the answer.
        app.MapOrleansDashboard(Path)
            .RequireAuthorization(new AuthorizeAttribute { Roles = ApiRoles.Analyst, AuthenticationSchemes = $"{ApiKeyAuthenticationHandler.SchemeName},{CookieScheme}" })
            .ExcludeFromDescription();
        app.MapPost(SessionPath, OpenSessionAsync)
            .RequireAuthorization(ApiRoles.Analyst)
            .WithTags("Admin")
            .WithName("OpenOrleansDashboardSession")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary($"Sets a cookie that opens the Orleans Dashboard ({Path}/) in this browser for a while; the dashboard's own requests cannot carry the key. Role: analyst.");
        return app;
    }

    /// <summary>Where the dashboard is and until when the cookie just set opens it.</summary>
    public sealed record OrleansDashboardSession(string Url, DateTimeOffset ExpiresAt);

    private static async Task<Ok<OrleansDashboardSession>> OpenSessionAsync(HttpContext context, IOptions<OrleansDashboardOptions> options, TimeProvider time)
    {
        var hash = context.User.FindFirstValue(ApiRoles.KeyHashClaim) ?? "unknown";
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Role, ApiRoles.Analyst),
                new Claim(ApiRoles.KeyRoleClaim, ApiRoles.Analyst),
                new Claim(ApiRoles.KeyHashClaim, hash),
                new Claim(ClaimTypes.Name, $"orleans-dashboard-{hash}"),
            ],
            CookieScheme);
        var expires = time.GetUtcNow().Add(options.Value.SessionLifetime);
        await context.SignInAsync(CookieScheme, new ClaimsPrincipal(identity), new AuthenticationProperties { ExpiresUtc = expires, IsPersistent = false });
        return TypedResults.Ok(new OrleansDashboardSession(Path + "/", expires));
    }

    private static Task Answer(HttpResponse response, int status)
    {
        if (!response.HasStarted)
        {
            response.StatusCode = status;
        }

        return Task.CompletedTask;
    }
}
