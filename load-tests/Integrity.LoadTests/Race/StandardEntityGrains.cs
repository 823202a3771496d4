using Integrity.Domain.Events;
using Integrity.Domain.Helpers;
using Integrity.Domain.Policy;
using Integrity.Domain.Rules;
using Integrity.Domain.State;
using Integrity.Domain.Wire;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Integrity.LoadTests.Race;

/// <summary>
/// Phase (a) of the race: entity grains as a typical Orleans app writes them. Each kind subscribes implicitly to its
/// stream namespace on the official Azure Queue stream provider; a grain applies the domain rules to every event of a
/// delivered batch and writes its state once per batch with the official <c>AzureTableGrainStorage</c> (the tuning a
/// competent user gives it: batch delivery, one write per batch). It does no propagation between entities and no
/// helper context (brands, categories, identifiers): less work per event than the engine does.
/// </summary>
public interface IStandardEntityGrain : IGrainWithStringKey;

/// <summary>The stream namespaces of the standard app and what its grains have done (process-wide; one silo per run).</summary>
public static class StandardApp
{
    public const string Provider = "standard";
    public const string Sellers = "standard-seller";
    public const string Listings = "standard-listing";
    public const string Reviewers = "standard-reviewer";

    private static long _applied;
    private static long _writes;
    private static long _failedWrites;

    /// <summary>Entity applications made durable (one per entity an event touches, counted when its batch's write lands).</summary>
    public static long Applied => Interlocked.Read(ref _applied);

    public static long Writes => Interlocked.Read(ref _writes);

    public static long FailedWrites => Interlocked.Read(ref _failedWrites);

    public static void Reset() => (_applied, _writes, _failedWrites) = (0, 0, 0);

    internal static void Stored(int items) { Interlocked.Add(ref _applied, items); Interlocked.Increment(ref _writes); }

    internal static void WriteFailed() => Interlocked.Increment(ref _failedWrites);

    internal static readonly EventParser Parser = new(new IdentifierHasher("race-standard-app-key-0123456789"u8));
}

public abstract class StandardEntityGrain<TState>(IPersistentState<TState> state) : Grain, IStandardEntityGrain, IStreamSubscriptionObserver, IAsyncBatchObserver<byte[]>
    where TState : class, new()
{
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<byte[]>().ResumeAsync(this);

    public async Task OnNextAsync(IList<SequentialItem<byte[]>> items)
    {
        var current = state.RecordExists ? state.State : Create(this.GetPrimaryKeyString());
        foreach (var item in items)
        {
            if (StandardApp.Parser.Parse(item.Item).Event is { } e)
            {
                current = Apply(current, e);
            }
        }

        state.State = current;
        while (true)
        {
            try
            {
                await state.WriteStateAsync();
                StandardApp.Stored(items.Count);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                StandardApp.WriteFailed();
                await Task.Delay(100);
            }
        }
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    protected abstract TState Create(string id);

    protected abstract TState Apply(TState current, IntegrityEvent e);
}

[ImplicitStreamSubscription(StandardApp.Sellers)]
public sealed class StandardSellerGrain([PersistentState("seller", StandardApp.Provider)] IPersistentState<SellerState> state) : StandardEntityGrain<SellerState>(state)
{
    protected override SellerState Create(string id) => SellerState.Create(id);

    protected override SellerState Apply(SellerState current, IntegrityEvent e) => SellerRules.Apply(current, e, SellerContext.None, PolicyOptions.Default).State;
}

[ImplicitStreamSubscription(StandardApp.Listings)]
public sealed class StandardListingGrain([PersistentState("listing", StandardApp.Provider)] IPersistentState<ListingState> state) : StandardEntityGrain<ListingState>(state)
{
    protected override ListingState Create(string id) => ListingState.Create(id);

    protected override ListingState Apply(ListingState current, IntegrityEvent e) => ListingRules.Apply(current, e, ListingContext.None, PolicyOptions.Default).State;
}

[ImplicitStreamSubscription(StandardApp.Reviewers)]
public sealed class StandardReviewerGrain([PersistentState("reviewer", StandardApp.Provider)] IPersistentState<ReviewerState> state) : StandardEntityGrain<ReviewerState>(state)
{
    protected override ReviewerState Create(string id) => ReviewerState.Create(id);

    protected override ReviewerState Apply(ReviewerState current, IntegrityEvent e) => ReviewerRules.Apply(current, e, ReviewerContext.None, PolicyOptions.Default).State;
}
