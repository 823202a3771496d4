using Integrity.Domain.Text;

namespace Integrity.Domain.Tests.Primitives;

public sealed class ClaimMatcherTests
{
    [Theory]
    [InlineData("CURES CANCER in 3 weeks", "cures cancer")]
    [InlineData("Guérit le cancer", "guérit le cancer")]
    [InlineData("guerit le cancer", "guérit le cancer")]
    [InlineData("本品可以根治高血压", "根治")]
    [InlineData("本品可以根 治高血压", "根治")]
    [InlineData("無副作用，安心服用", "無副作用")]
    [InlineData("１００％有效", "100%有效")]
    public void Claims_match_regardless_of_case_accents_spacing_and_width(string text, string phrase)
    {
        Assert.Contains(ClaimMatcher.Default.Find(text), m => m.Phrase == phrase);
    }

    [Theory]
    [InlineData("Procures cancer-awareness donations")]
    [InlineData("Cured cancer survivor designed this mug")]
    [InlineData("100% cotton")]
    public void Look_alike_words_do_not_match(string text)
    {
        Assert.Empty(ClaimMatcher.Default.Find(text));
    }

    [Fact]
    public void Default_lexicon_covers_english_chinese_and_french_in_both_categories()
    {
        var groups = ClaimLexicon.Default.Phrases.GroupBy(p => (p.Language, p.Category)).Select(g => g.Key).ToHashSet();

        foreach (var language in new[] { "en", "zh", "fr" })
        {
            Assert.Contains((language, ClaimCategory.Prohibited), groups);
            Assert.Contains((language, ClaimCategory.Exaggerated), groups);
        }
    }
}
