using Integrity.Domain.Serialization;
using Orleans.Serialization;

namespace Integrity.Contracts;

/// <summary>
/// Domain types (events, states, decisions) stay free of Orleans attributes; Orleans carries them as JSON in
/// the same shape the journal and grain storage use. Wrappers marked [Immutable] avoid copies on local calls.
/// </summary>
public static class IntegritySerialization
{
    /// <summary>
    /// The JSON codec for domain types, and the domain assembly allowed by Orleans' type filter: a domain type inside
    /// a collection (a <c>List&lt;ListingEvent&gt;</c> to a category grain on another silo) is checked by name when
    /// it crosses silos, which local calls never show.
    /// </summary>
    public static ISerializerBuilder AddIntegrityDomainTypes(this ISerializerBuilder builder)
    {
        Microsoft.Extensions.DependencyInjection.OptionsServiceCollectionExtensions.Configure<Orleans.Serialization.Configuration.TypeManifestOptions>(builder.Services, o => o.AddAllowedAssembly(typeof(Domain.Events.IntegrityEvent).Assembly));
        return builder.AddJsonSerializer(IsDomainType, DomainJson.Options);
    }

    public static bool IsDomainType(Type type) =>
        type.Namespace is { } ns && ns.StartsWith("Integrity.Domain", StringComparison.Ordinal);
}
