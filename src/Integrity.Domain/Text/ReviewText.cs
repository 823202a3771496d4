using Integrity.Domain.Events;

namespace Integrity.Domain.Text;

/// <summary>
/// A review's text fingerprint (SimHash) and folded length, computed once per review: the listing's observation, the
/// listing's apply and the reviewer's apply all need them for the same review, one after the other. Events are
/// immutable, so the same instance has the same text; the last one seen on this thread is remembered.
/// </summary>
internal static class ReviewText
{
    [ThreadStatic]
    private static ReviewPosted? _review;

    [ThreadStatic]
    private static ulong _hash;

    [ThreadStatic]
    private static int _length;

    public static (ulong Hash, int Length) Of(ReviewPosted review)
    {
        if (!ReferenceEquals(review, _review))
        {
            var folded = TextFolding.Fold(review.Text);
            (_hash, _length) = (SimHash.ComputeFolded(folded), folded.Length);
            _review = review;
        }

        return (_hash, _length);
    }
}
