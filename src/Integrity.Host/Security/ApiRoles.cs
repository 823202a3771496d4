namespace Integrity.Host.Security;

/// <summary>
/// The roles an API key can have; each is also the name of the authorization policy requiring it.
/// An analyst key may also read (it carries the viewer role too); an ingest key can only ingest. An admin key registers
/// and deletes webhook endpoints (where decisions are sent: data leaving the house) and may read, but does not act on
/// entities; analysts and viewers cannot add a destination for the data.
/// </summary>
public static class ApiRoles
{
    public const string Ingest = "ingest";
    public const string Analyst = "analyst";
    public const string Viewer = "viewer";
    public const string Admin = "admin";

    /// <summary>Claim holding the key's own role (the one it was configured under).</summary>
    public const string KeyRoleClaim = "integrity:key_role";

    /// <summary>Claim holding the first hex digits of the SHA-256 of the key: names a key in logs and dead letters.</summary>
    public const string KeyHashClaim = "integrity:key_hash";

    public static IReadOnlyList<string> All { get; } = [Ingest, Analyst, Viewer, Admin];

    /// <summary>Roles granted to a key configured under <paramref name="role"/>.</summary>
    public static IReadOnlyList<string> Granted(string role) => role switch
    {
        Analyst => [Analyst, Viewer],
        Admin => [Admin, Viewer],
        _ => [role],
    };
}
