using Integrity.Domain.Outcomes;

namespace Integrity.Domain.Tests.Outcomes;

public sealed class WilsonIntervalTests
{
    [Theory]
    // Reference values: Wilson score interval, z = 1.96 (e.g. R's binom::binom.wilson, statsmodels proportion_confint(method="wilson")).
    [InlineData(2, 3, 0.2077, 0.9385)]
    [InlineData(8, 10, 0.4902, 0.9433)]
    [InlineData(1, 2, 0.0945, 0.9055)]
    [InlineData(50, 100, 0.4038, 0.5962)]
    public void Interval_matches_the_published_Wilson_bounds(int confirmed, int labelled, double lower, double upper)
    {
        var interval = WilsonInterval.Of(confirmed, labelled);

        Assert.Equal(lower, interval.Lower, 4);
        Assert.Equal(upper, interval.Upper, 4);
    }

    [Fact]
    public void All_reversed_has_a_lower_bound_of_exactly_zero_and_an_upper_bound_that_shrinks_with_more_verdicts()
    {
        var few = WilsonInterval.Of(0, 3);
        var many = WilsonInterval.Of(0, 30);

        Assert.Equal(0, few.Lower);
        Assert.Equal(0, many.Lower);
        Assert.Equal(0.5615, few.Upper, 4);
        Assert.True(many.Upper < few.Upper);
    }

    [Fact]
    public void All_confirmed_has_an_upper_bound_of_exactly_one()
    {
        Assert.Equal(1, WilsonInterval.Of(5, 5).Upper);
        Assert.Equal(0.5655, WilsonInterval.Of(5, 5).Lower, 4);
    }

    [Fact]
    public void No_verdict_knows_nothing()
    {
        Assert.Equal(new WilsonInterval(0, 1), WilsonInterval.Of(0, 0));
    }

    [Fact]
    public void More_confirmations_than_verdicts_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WilsonInterval.Of(4, 3));
    }

    [Fact]
    public void Bounds_stay_within_zero_and_one_and_around_the_proportion()
    {
        for (var n = 1; n <= 60; n++)
        {
            for (var k = 0; k <= n; k++)
            {
                var interval = WilsonInterval.Of(k, n);
                var p = (double)k / n;
                Assert.InRange(interval.Lower, 0, p);
                Assert.InRange(interval.Upper, p, 1);
            }
        }
    }
}
