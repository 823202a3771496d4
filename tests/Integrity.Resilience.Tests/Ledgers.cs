namespace Integrity.Resilience.Tests;

/// <summary>The exactly-once verdict: per entity, what is stored equals what the sender's ledger says was accepted.</summary>
internal static class Ledgers
{
    /// <summary>
    /// Every entity of the ledger that keeps an applied counter applied exactly its accepted events, and every other
    /// stored entity of this run (the caller reads only its own) applied none. Fails with the first discrepancies.
    /// </summary>
    public static void AssertExactlyOnce(EventLedger ledger, IReadOnlyDictionary<EntityKey, EntityCounters> stored)
    {
        var check = LedgerCheck.CompareStored(ledger, stored);
        Assert.True(check.Passed, LedgerCheck.Describe(check));
    }
}
