namespace Integrity.Contracts.Services;

/// <summary>Reads journal rows back by sequence: what a partition consumer replays from its checkpoint.</summary>
public interface IJournalRows
{
    /// <summary>Rows of one partition with sequence numbers greater than <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<JournalSlice>> ReadAsync(int partition, long afterSequence, int maxRows, CancellationToken cancellationToken);
}
