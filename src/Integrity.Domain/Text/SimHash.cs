using System.Numerics;

namespace Integrity.Domain.Text;

/// <summary>
/// 64-bit SimHash over character 4-grams of folded text: texts that share most of their 4-grams get fingerprints a
/// few bits apart, unrelated texts about 32 bits apart. Character grams (not words) so it works for Chinese as well
/// as for languages with spaces, and survives small edits such as a changed word or punctuation.
/// The feature hash is FNV-1a plus a mixer, stable across processes, because fingerprints are persisted.
/// </summary>
public static class SimHash
{
    private const int GramLength = 4;

    public static ulong Compute(string text) => ComputeFolded(TextFolding.Fold(text));

    /// <summary>The fingerprint of text already folded by <see cref="TextFolding.Fold"/>.</summary>
    public static ulong ComputeFolded(string folded)
    {
        ArgumentNullException.ThrowIfNull(folded);
        if (folded.Length == 0) return 0;

        // Each gram votes +1 for its set bits and -1 for the others: a bit wins when set in more than half the grams.
        // Counted as set bits (no branch on a random bit), the vote is 2 × set − grams.
        Span<int> set = stackalloc int[64];
        var grams = Math.Max(1, folded.Length - GramLength + 1);
        for (var i = 0; i < grams; i++)
        {
            var h = Hash(folded.AsSpan(i, Math.Min(GramLength, folded.Length - i)));
            for (var bit = 0; bit < 64; bit++)
            {
                set[bit] += (int)((h >> bit) & 1);
            }
        }

        ulong fingerprint = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            if ((2 * set[bit]) - grams > 0) fingerprint |= 1UL << bit;
        }

        return fingerprint;
    }

    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    private static ulong Hash(ReadOnlySpan<char> gram)
    {
        var h = 14695981039346656037UL;
        foreach (var c in gram)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        // splitmix64 finalizer: FNV alone leaves the high bits poorly mixed for short inputs.
        h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9UL;
        h = (h ^ (h >> 27)) * 0x94d049bb133111ebUL;
        return h ^ (h >> 31);
    }
}
