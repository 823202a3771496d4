namespace Integrity.Testing;

/// <summary>Names that keep tests sharing one Azurite out of each other's way.</summary>
public static class UniqueNames
{
    /// <summary>A valid Azure table name: letters and digits, starting with a letter.</summary>
    public static string Table(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}
