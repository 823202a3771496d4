using Integrity.Contracts;
using Integrity.Domain.Events;
using Integrity.Domain.Helpers;

namespace Integrity.Grains.Helpers;

/// <summary>One identifier (keyed by its hash) and the sellers that used it. Links change rarely: written through.</summary>
// Immovable: its next activation reads the stored row, never in-memory state handed over by a stopping silo.
[Orleans.Placement.Immovable]
public sealed class IdentifierGrain([PersistentState("identifier")] IPersistentState<IdentifierLinks> state) : Grain, IIdentifierGrain
{
    public async Task<IReadOnlyList<string>> LinkAsync(string sellerId)
    {
        if (!state.RecordExists && state.State.Key.Length == 0)
        {
            var key = this.GetPrimaryKeyString();
            state.State = IdentifierLinks.Create(new IdentifierHash(KindOf(key), key));
        }

        var (next, others) = state.State.Link(sellerId);
        if (next.SellerIds.Count != state.State.SellerIds.Count)
        {
            state.State = next;
            await state.WriteStateAsync();
        }

        return others;
    }

    private static IdentifierKind KindOf(string key) =>
        Enum.TryParse<IdentifierKind>(key.Split(':', 2)[0], ignoreCase: true, out var kind) ? kind : IdentifierKind.BankAccount;
}
