using Integrity.Domain.Learning;

namespace Integrity.Domain.Tests.Learning;

public sealed class NoisyOrFitterTests
{
    private static readonly Dictionary<string, double> Truth = new(StringComparer.Ordinal)
    {
        ["STRONG"] = 0.6,
        ["MIDDLE"] = 0.3,
        ["GRADED"] = 0.45,
        ["WEAK"] = 0.08,
        ["NOISE"] = 0.0,
    };

    private const double TrueBaseRate = 0.05;

    /// <summary>Examples drawn from the noisy-OR model itself: each signal speaks on about a third, GRADED with a strength in 0.2..1.</summary>
    private static List<LabelledExample> Draw(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new List<LabelledExample>(count);
        for (var n = 0; n < count; n++)
        {
            var activations = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var code in Truth.Keys)
            {
                if (random.NextDouble() < 0.35) activations[code] = code == "GRADED" ? 0.2 + (0.8 * random.NextDouble()) : 1.0;
            }

            var p = NoisyOrFitter.Probability(activations, Truth, TrueBaseRate);
            examples.Add(new LabelledExample(activations, random.NextDouble() < p));
        }

        return examples;
    }

    private static Dictionary<string, double> Start(double weight) => Truth.Keys.ToDictionary(k => k, _ => weight, StringComparer.Ordinal);

    [Fact]
    public void Recovers_the_weights_of_the_noisy_or_model_that_generated_the_labels()
    {
        var fit = NoisyOrFitter.Fit(Draw(4000, seed: 7), Start(0.2), new NoisyOrFitOptions { L2 = 0 });

        Assert.True(fit.Converged, $"not converged after {fit.Iterations} iterations");
        foreach (var w in fit.Weights)
        {
            Assert.True(Math.Abs(w.NewWeight - Truth[w.Code]) <= 0.06, $"{w.Code}: fitted {w.NewWeight:0.000}, true {Truth[w.Code]}");
            Assert.Equal(0.2, w.OldWeight);
        }

        Assert.InRange(fit.BaseRateAfter, TrueBaseRate - 0.03, TrueBaseRate + 0.03);
        Assert.True(fit.LogLossAfter < fit.LogLossBefore, $"log-loss {fit.LogLossBefore} → {fit.LogLossAfter}");
    }

    [Fact]
    public void Fitted_weights_stay_within_zero_and_one_even_where_the_data_pull_beyond()
    {
        // A signal that is always right wants weight 1; one that never is wants 0 or less.
        var examples = Enumerable.Range(0, 400).Select(i => i % 2 == 0
            ? new LabelledExample(new Dictionary<string, double> { ["ALWAYS"] = 1 }, true)
            : new LabelledExample(new Dictionary<string, double> { ["NEVER"] = 1 }, false)).ToList();

        var fit = NoisyOrFitter.Fit(examples, new Dictionary<string, double> { ["ALWAYS"] = 0.5, ["NEVER"] = 0.5 }, new NoisyOrFitOptions { L2 = 0 });

        Assert.All(fit.Weights, w => Assert.InRange(w.NewWeight, 0, 1));
        Assert.True(fit.NewWeights["ALWAYS"] > 0.99, $"ALWAYS {fit.NewWeights["ALWAYS"]}");
        Assert.True(fit.NewWeights["NEVER"] < 0.01, $"NEVER {fit.NewWeights["NEVER"]}");
    }

    [Fact]
    public void A_strong_l2_penalty_keeps_weights_near_the_current_ones_and_unseen_signals_do_not_move()
    {
        var examples = Draw(2000, seed: 3);
        var current = Start(0.2);
        current["UNSEEN"] = 0.37;

        var loose = NoisyOrFitter.Fit(examples, current, new NoisyOrFitOptions { L2 = 0 });
        var held = NoisyOrFitter.Fit(examples, current, new NoisyOrFitOptions { L2 = 10 });

        Assert.Equal(0.37, loose.NewWeights["UNSEEN"], 6);
        Assert.Equal(0, loose.Weights.Single(w => w.Code == "UNSEEN").Activations);
        foreach (var code in Truth.Keys)
        {
            Assert.True(Math.Abs(held.NewWeights[code] - 0.2) < Math.Abs(loose.NewWeights[code] - 0.2) || Math.Abs(loose.NewWeights[code] - 0.2) < 0.01,
                $"{code}: held {held.NewWeights[code]:0.000}, loose {loose.NewWeights[code]:0.000}");
            Assert.True(Math.Abs(held.NewWeights[code] - 0.2) < 0.05, $"{code}: held {held.NewWeights[code]:0.000}");
        }
    }

    [Fact]
    public void The_same_examples_give_the_same_weights()
    {
        var examples = Draw(1000, seed: 11);

        var a = NoisyOrFitter.Fit(examples, Start(0.3));
        var b = NoisyOrFitter.Fit(examples, Start(0.3));

        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(a.BaseRateAfter, b.BaseRateAfter);
    }

    [Fact]
    public void Counts_activations_and_positives_per_signal()
    {
        var examples = new List<LabelledExample>
        {
            new(new Dictionary<string, double> { ["A"] = 1, ["B"] = 0.5 }, true),
            new(new Dictionary<string, double> { ["A"] = 0.2 }, false),
            new(new Dictionary<string, double> { ["B"] = 0 }, false),
            new(new Dictionary<string, double>(), true),
        };

        var fit = NoisyOrFitter.Fit(examples, new Dictionary<string, double> { ["A"] = 0.5, ["B"] = 0.5 });

        Assert.Equal((2, 1), (fit.Weights[0].Activations, fit.Weights[0].Positives));
        Assert.Equal((1, 1), (fit.Weights[1].Activations, fit.Weights[1].Positives));
        Assert.Equal((4, 2), (fit.Examples, fit.Positives));
    }

    [Theory]
    [InlineData("A", 1.5)]
    [InlineData("A", -0.1)]
    [InlineData("UNKNOWN", 0.5)]
    public void Bad_activations_are_refused_by_name(string code, double activation)
    {
        var examples = new List<LabelledExample> { new(new Dictionary<string, double> { [code] = activation }, true) };

        var error = Assert.Throws<ArgumentException>(() => NoisyOrFitter.Fit(examples, new Dictionary<string, double> { ["A"] = 0.5 }));

        Assert.Contains(code, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_base_rate_the_model_is_the_engines_own_score()
    {
        // Reasons as the engine records them: a graded signal's weight is its rule's weight times its strength.
        var weights = new Dictionary<string, double> { ["THIN_HISTORY"] = 0.2, ["LOCKSTEP"] = 0.45, ["RATING_DEVIATION"] = 0.03 };
        var activations = new Dictionary<string, double> { ["THIN_HISTORY"] = 0.7, ["LOCKSTEP"] = 1, ["RATING_DEVIATION"] = 0.5 };
        var reasons = activations.Select(a => new Enforcement.Reason(a.Key, "", 0, 0, weights[a.Key] * a.Value, [])).ToList();

        Assert.Equal(Enforcement.Scoring.Combine(reasons), Enforcement.Scoring.Round(100 * NoisyOrFitter.Probability(activations, weights, baseRate: 0)), 6);
    }

    [Fact]
    public void No_examples_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => NoisyOrFitter.Fit([], new Dictionary<string, double> { ["A"] = 0.5 }));
    }
}
