using Integrity.Domain.Serialization;
using Orleans.Serialization;

namespace Integrity.Contracts;

/// <summary>
/// Domain types (events, states, decisions) stay free of Orleans attributes; Orleans carries them as JSON in
/// the same shape the journal and grain storage use. Wrappers marked [Immutable] avoid copies on local calls.
/// </summary>
public static class IntegritySerialization
{
    public static ISerializerBuilder AddIntegrityDomainTypes(this ISerializerBuilder builder) =>
        builder.AddJsonSerializer(IsDomainType, DomainJson.Options);

    public static bool IsDomainType(Type type) =>
        type.Namespace is { } ns && ns.StartsWith("Integrity.Domain", StringComparison.Ordinal);
}
