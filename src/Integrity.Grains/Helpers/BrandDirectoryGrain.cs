using Integrity.Contracts;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;

namespace Integrity.Grains.Helpers;

/// <summary>Brand profiles and their keyword index. Brands are few and change rarely: written through.</summary>
// Immovable: its next activation reads the stored row, never in-memory state handed over by a stopping silo.
[Orleans.Placement.Immovable]
public sealed class BrandDirectoryGrain([PersistentState("brands")] IPersistentState<BrandDirectoryState> state) : Grain, IBrandDirectoryGrain
{
    public async Task RegisterAsync(IReadOnlyList<BrandRegistered> brands)
    {
        var changed = false;
        foreach (var brand in brands)
        {
            var before = state.State.Profiles.GetValueOrDefault(brand.BrandId);
            var profile = BrandProfile.Apply(before ?? BrandProfile.Create(brand.BrandId), brand);
            if (ReferenceEquals(profile, before))
            {
                continue;
            }

            state.State.Profiles[brand.BrandId] = profile;
            state.State.Directory.Register(profile);
            changed = true;
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<BrandProfile>> ResolveAsync(string? declaredBrandId, string title, string description)
    {
        var ids = state.State.Directory.Candidates(title, description).Append(declaredBrandId).OfType<string>().Distinct(StringComparer.Ordinal);
        IReadOnlyList<BrandProfile> profiles = [.. ids.Select(id => state.State.Profiles.GetValueOrDefault(id)).OfType<BrandProfile>()];
        return Task.FromResult(profiles);
    }
}

public sealed class BrandDirectoryState
{
    public int Version { get; set; } = 1;

    public Dictionary<string, BrandProfile> Profiles { get; set; } = new(StringComparer.Ordinal);

    public BrandDirectory Directory { get; set; } = new();
}
