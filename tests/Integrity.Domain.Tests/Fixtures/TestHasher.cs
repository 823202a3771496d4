using System.Text;
using Integrity.Domain.Wire;

namespace Integrity.Domain.Tests.Fixtures;

/// <summary>A fixed test key, so hashes are stable across tests.</summary>
public static class TestHasher
{
    public static IdentifierHasher Instance { get; } = new(Encoding.UTF8.GetBytes("integrity-test-key-0123456789abcdef"));

    public static EventParser Parser(EventLimits? limits = null) => new(Instance, limits);
}
