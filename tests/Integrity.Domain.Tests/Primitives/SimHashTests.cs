using CsCheck;
using Integrity.Domain.Policy;
using Integrity.Domain.Text;

namespace Integrity.Domain.Tests.Primitives;

public sealed class SimHashTests
{
    private static readonly string[] Vocabulary =
        "the a battery sound quality great poor delivery fast slow box arrived cable works broke price value screen bright light heavy strong soft colour size fits gift daughter son kitchen garden travel desk lamp phone case earbuds charger speaker warranty seller answered returned exchange cheap premium smell fabric stitching button switch noisy quiet easy hard setup manual instructions app pairing bass volume morning evening weekend holiday birthday winter summer rain wood metal plastic glass ceramic leather cotton wool silk paper steel rubber handle lid strap pocket zipper wheel blade motor pump filter sensor battery charger port plug remote display keyboard mouse camera lens tripod bottle cup mug plate bowl pan pot knife spoon fork chair table shelf drawer pillow blanket towel curtain carpet mirror clock watch ring necklace bracelet shoe boot sock glove hat scarf jacket coat shirt trousers dress skirt"
            .Split(' ');

    private static readonly Gen<string[]> Sentence = Gen.Int[0, Vocabulary.Length - 1].Select(i => Vocabulary[i]).Array[30, 40];

    [Fact]
    public void Near_duplicate_texts_are_close_and_unrelated_texts_are_far()
    {
        Gen.Select(Sentence, Sentence, Gen.Int[0, 29], Gen.Int[0, Vocabulary.Length - 1]).Sample((a, b, position, replacement) =>
        {
            var original = string.Join(' ', a);
            var edited = (string[])a.Clone();
            edited[position] = Vocabulary[replacement];

            var near = SimHash.Distance(SimHash.Compute(original), SimHash.Compute(string.Join(' ', edited) + "!"));
            var far = SimHash.Distance(SimHash.Compute(original), SimHash.Compute(string.Join(' ', b)));

            Assert.True(near <= 16, $"near-duplicate {near} bits apart");
            Assert.True(far > PolicyOptions.Default.Text.NearDuplicateMaxDistance, $"unrelated {far} bits apart");
            Assert.True(near < far, $"near {near} vs far {far}");
        });
    }

    [Fact]
    public void Case_accents_and_punctuation_do_not_change_the_fingerprint()
    {
        Assert.Equal(SimHash.Compute("Très bon produit, livraison rapide !"), SimHash.Compute("tres BON produit livraison rapide"));
    }

    [Fact]
    public void Chinese_text_is_fingerprinted_by_characters()
    {
        var a = SimHash.Compute("这个耳机音质非常好，物流也很快，推荐购买，包装完好无损");
        var b = SimHash.Compute("这个耳机音质非常好，物流也很快，推荐购买，包装完好");
        var c = SimHash.Compute("厨房用的水壶烧水很慢，盖子有点松，不太满意这次购物");

        Assert.True(SimHash.Distance(a, b) < SimHash.Distance(a, c));
    }
}
