using System.Security.Claims;
using Integrity.Host.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Integrity.Host.Apis;

/// <summary>Who the presented key is: its role and hash prefix (never the key). Any valid key.</summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/me", Me)
            .RequireAuthorization()
            .WithTags("Account")
            .WithName("WhoAmI")
            .WithSummary("The role of the API key presented and the roles it grants. Role: any key (ingest, analyst, viewer or admin).");
        return app;
    }

    private static Ok<KeyInfo> Me(ClaimsPrincipal user)
    {
        var role = user.FindFirstValue(ApiRoles.KeyRoleClaim) ?? "unknown";
        return TypedResults.Ok(new KeyInfo(role, ApiRoles.Granted(role), user.FindFirstValue(ApiRoles.KeyHashClaim) ?? ""));
    }
}
