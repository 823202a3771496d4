namespace Integrity.Domain.Learning;

/// <summary>
/// One labelled outcome: how strongly each signal spoke (code → activation in 0..1: the reason's weight divided by its
/// rule's weight, 1 for an ungraded signal) and whether the entity or review proved bad.
/// </summary>
public sealed record LabelledExample(IReadOnlyDictionary<string, double> Activations, bool Positive);

/// <summary>How hard <see cref="NoisyOrFitter"/> holds weights to the current ones, and when it stops.</summary>
public sealed record NoisyOrFitOptions
{
    /// <summary>λ of the penalty λ/2 · Σ (w − w₀)², against the mean log-loss per example.</summary>
    public double L2 { get; init; } = 0.001;

    public int MaxIterations { get; init; } = 2000;

    /// <summary>Stops when no coordinate of the projected (scaled) gradient step moves more than this.</summary>
    public double Tolerance { get; init; } = 1e-7;

    /// <summary>
    /// Weights are kept in [0, <see cref="MaxWeight"/>]: a weight of exactly 1 on an always-present activation would make
    /// one negative example infinitely unlikely.
    /// </summary>
    public double MaxWeight { get; init; } = 0.9999;
}

/// <summary>One signal's weight before and after, with the evidence the fit had for it.</summary>
/// <param name="Activations">Examples where the signal spoke (activation &gt; 0).</param>
/// <param name="Positives">Positive examples among them.</param>
/// <param name="LogLossBefore">Mean log-loss over those examples under the old weights (and their own best base rate).</param>
/// <param name="LogLossAfter">The same under the fitted weights.</param>
public sealed record FittedWeight(string Code, double OldWeight, double NewWeight, int Activations, int Positives, double LogLossBefore, double LogLossAfter);

/// <summary>What <see cref="NoisyOrFitter.Fit"/> found.</summary>
/// <param name="BaseRateBefore">The base rate b fitted with the old weights held fixed (the engine has no b: it does not change a ranking).</param>
public sealed record NoisyOrFit(
    IReadOnlyList<FittedWeight> Weights,
    int Examples,
    int Positives,
    double BaseRateBefore,
    double BaseRateAfter,
    double LogLossBefore,
    double LogLossAfter,
    int Iterations,
    bool Converged)
{
    public IReadOnlyDictionary<string, double> NewWeights => Weights.ToDictionary(w => w.Code, w => w.NewWeight, StringComparer.Ordinal);
}

/// <summary>
/// Fits signal weights to labelled outcomes with the engine's own way of combining them, so that the fitted weights
/// are policy weights with no translation.
/// <para>
/// The model is noisy-OR with a leak: each signal i that speaks with activation aᵢ ∈ [0, 1] independently "explains"
/// the example with probability wᵢ·aᵢ, and anything else does with a base rate b:
/// P(y = 1 | a) = 1 − (1 − b) · Πᵢ (1 − wᵢ·aᵢ). Without b this is exactly <c>Scoring.Combine</c> of the reasons'
/// weights wᵢ·aᵢ (a graded signal already scales its rule's weight by its strength), divided by 100. b only shifts
/// every score the same way, so it does not change a ranking and the engine has no place for it; it is fitted so the
/// weights do not have to absorb the base rate of positives.
/// </para>
/// <para>
/// The fit minimises the mean negative log-likelihood plus λ/2 · Σᵢ (wᵢ − w₀ᵢ)², pulling each weight toward its current
/// value w₀ᵢ: a signal with little evidence stays where analysts put it. It runs projected gradient descent with a
/// diagonal (Fisher) scaling and a backtracking (Armijo) line search, keeping wᵢ ∈ [0, 1) and b ∈ (0, 1), starting
/// from the current weights. It uses no randomness: the same examples give the same weights. The objective is not
/// convex in general (the positive term is convex in log(1 − wᵢaᵢ), not in wᵢ), so this is a local optimum near the
/// current policy, which is what a policy change should be.
/// </para>
/// <para>
/// The activations come from one replay under the current weights. Changing weights can move what other signals see
/// (a listing's share of suspicious reviewers, ladder steps), which the fit does not follow; a second fit from the
/// fitted policy would.
/// </para>
/// </summary>
public static class NoisyOrFitter
{
    private const double Epsilon = 1e-12;

    /// <summary>
    /// b never reaches 0: a positive example on which no signal spoke would then have probability 0, an infinite loss
    /// whose gradient swamps every other; with b ≥ 10⁻⁶ its loss is at most ≈ 13.8 and the gradient stays finite.
    /// </summary>
    private const double MinBaseRate = 1e-6;

    /// <param name="current">The weights to fit (code → current weight in 0..1), which are also the prior the penalty pulls toward.</param>
    /// <exception cref="ArgumentException">No examples, a weight or an activation outside 0..1, or an activation for a code not in <paramref name="current"/>.</exception>
    public static NoisyOrFit Fit(IReadOnlyList<LabelledExample> examples, IReadOnlyDictionary<string, double> current, NoisyOrFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(current);
        options ??= new NoisyOrFitOptions();
        if (examples.Count == 0) throw new ArgumentException("No labelled examples to fit.", nameof(examples));
        if (options.L2 < 0 || double.IsNaN(options.L2)) throw new ArgumentException($"L2 must be ≥ 0, got {options.L2}.", nameof(options));

        var codes = current.Keys.Order(StringComparer.Ordinal).ToArray();
        var index = codes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var prior = new double[codes.Length];
        for (var i = 0; i < codes.Length; i++)
        {
            var w = current[codes[i]];
            if (w is < 0 or > 1 || double.IsNaN(w)) throw new ArgumentException($"Current weight of {codes[i]} must be within 0..1, got {w}.", nameof(current));
            prior[i] = w;
        }

        var data = Sparse.From(examples, index);
        var start = prior.Select(w => Math.Min(w, options.MaxWeight)).ToArray();

        // "Before": the current weights as they are, with the base rate that suits them best.
        var before = Minimise(data, start, prior, 0.5 * data.PositiveRate, freeWeights: false, options);
        var after = Minimise(data, start, prior, before.BaseRate, freeWeights: true, options);

        var weights = new List<FittedWeight>(codes.Length);
        for (var i = 0; i < codes.Length; i++)
        {
            var (count, positives, lossBefore) = data.LossWhere(i, start, before.BaseRate);
            var (_, _, lossAfter) = data.LossWhere(i, after.Weights, after.BaseRate);
            weights.Add(new FittedWeight(codes[i], prior[i], after.Weights[i], count, positives, lossBefore, lossAfter));
        }

        return new NoisyOrFit(weights, data.Count, data.Positives, before.BaseRate, after.BaseRate,
            data.MeanLoss(start, before.BaseRate), data.MeanLoss(after.Weights, after.BaseRate), after.Iterations, after.Converged);
    }

    /// <summary>P(y = 1) of one example under weights and a base rate: the model the fit assumes.</summary>
    public static double Probability(IReadOnlyDictionary<string, double> activations, IReadOnlyDictionary<string, double> weights, double baseRate)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(weights);
        var keep = 1 - baseRate;
        foreach (var (code, a) in activations)
        {
            if (weights.TryGetValue(code, out var w)) keep *= 1 - (w * a);
        }

        return 1 - keep;
    }

    private sealed record Solution(double[] Weights, double BaseRate, int Iterations, bool Converged);

    /// <summary>Projected, diagonally scaled gradient descent with Armijo backtracking; parameter vector = weights then b.</summary>
    private static Solution Minimise(Sparse data, double[] start, double[] prior, double baseRate, bool freeWeights, NoisyOrFitOptions options)
    {
        var n = start.Length;
        var x = new double[n + 1];
        Array.Copy(start, x, n);
        x[n] = Math.Clamp(baseRate, MinBaseRate, options.MaxWeight);
        var upper = options.MaxWeight;
        var grad = new double[n + 1];
        var scale = new double[n + 1];
        var trial = new double[n + 1];
        var f = Objective(data, x, prior, options.L2, grad, scale);
        var step = 1.0;

        for (var iteration = 1; iteration <= options.MaxIterations; iteration++)
        {
            // Direction: −g / h per coordinate (h the Gauss–Newton curvature), projected onto the box.
            var moved = 0.0;
            var accepted = false;
            for (var tries = 0; tries < 60; tries++)
            {
                var decrease = 0.0;
                moved = 0.0;
                for (var i = 0; i <= n; i++)
                {
                    var free = i == n || freeWeights;
                    trial[i] = free ? Math.Clamp(x[i] - (step * grad[i] / scale[i]), i == n ? MinBaseRate : 0, upper) : x[i];
                    decrease += grad[i] * (x[i] - trial[i]);
                    moved = Math.Max(moved, Math.Abs(trial[i] - x[i]));
                }

                if (moved == 0) break;
                var ft = Objective(data, trial, prior, options.L2, null, null);
                if (ft <= f - (1e-4 * decrease))
                {
                    accepted = true;
                    break;
                }

                step *= 0.5;
            }

            if (!accepted || moved < options.Tolerance)
            {
                if (accepted) Array.Copy(trial, x, n + 1);
                return new Solution(x[..n], x[n], iteration, moved < options.Tolerance || moved == 0);
            }

            Array.Copy(trial, x, n + 1);
            f = Objective(data, x, prior, options.L2, grad, scale);
            step = Math.Min(1.0, step * 2);
        }

        return new Solution(x[..n], x[n], options.MaxIterations, false);
    }

    /// <summary>Mean negative log-likelihood + λ/2·Σ(w − w₀)²; fills the gradient and a positive diagonal curvature when asked.</summary>
    private static double Objective(Sparse data, double[] x, double[] prior, double l2, double[]? grad, double[]? scale)
    {
        var n = prior.Length;
        var b = x[n];
        if (grad is not null)
        {
            Array.Clear(grad);
            Array.Clear(scale!);
        }

        var loss = 0.0;
        for (var e = 0; e < data.Count; e++)
        {
            var logKeep = Math.Log(Math.Max(1 - b, Epsilon));
            for (var k = data.Start[e]; k < data.Start[e + 1]; k++)
            {
                logKeep += Math.Log(Math.Max(1 - (x[data.Feature[k]] * data.Activation[k]), Epsilon));
            }

            var keep = Math.Exp(logKeep);
            var positive = data.Label[e];
            loss += positive ? -Math.Log(Math.Max(1 - keep, Epsilon)) : -logKeep;
            if (grad is null) continue;

            // d loss / d log(keep) is keep/(1−keep) for a positive, −1 for a negative, and d log(keep) / d wᵢ = −aᵢ/(1 − wᵢaᵢ):
            // dLoss below is d loss / d(−log keep), so that d loss / d wᵢ = dLoss · aᵢ/(1 − wᵢaᵢ).
            var odds = keep / Math.Max(1 - keep, Epsilon);
            var dLoss = positive ? -odds : 1.0;
            // Fisher information of the Bernoulli in log(keep): keep/(1−keep), a curvature that is always positive.
            var curvature = Math.Min(odds, 1e6);
            for (var k = data.Start[e]; k < data.Start[e + 1]; k++)
            {
                var i = data.Feature[k];
                var a = data.Activation[k];
                var d = a / Math.Max(1 - (x[i] * a), Epsilon);
                grad[i] += dLoss * d;
                scale![i] += curvature * d * d;
            }

            var db = 1 / Math.Max(1 - b, Epsilon);
            grad[n] += dLoss * db;
            scale![n] += curvature * db * db;
        }

        loss /= data.Count;
        var penalty = 0.0;
        for (var i = 0; i < n; i++)
        {
            penalty += (x[i] - prior[i]) * (x[i] - prior[i]);
        }

        if (grad is not null)
        {
            for (var i = 0; i <= n; i++)
            {
                grad[i] /= data.Count;
                scale![i] = (scale[i] / data.Count) + (i < n ? l2 : 0) + 1e-9;
                if (i < n) grad[i] += l2 * (x[i] - prior[i]);
            }
        }

        return loss + (0.5 * l2 * penalty);
    }

    /// <summary>Examples as compressed rows: per example, its active features' indexes and activations.</summary>
    private sealed class Sparse
    {
        public required int[] Start { get; init; }

        public required int[] Feature { get; init; }

        public required double[] Activation { get; init; }

        public required bool[] Label { get; init; }

        public int Count => Label.Length;

        public int Positives => Label.Count(l => l);

        public double PositiveRate => (double)Positives / Count;

        public static Sparse From(IReadOnlyList<LabelledExample> examples, Dictionary<string, int> index)
        {
            var start = new int[examples.Count + 1];
            var feature = new List<int>();
            var activation = new List<double>();
            var label = new bool[examples.Count];
            for (var e = 0; e < examples.Count; e++)
            {
                start[e] = feature.Count;
                label[e] = examples[e].Positive;
                foreach (var (code, a) in examples[e].Activations.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (!index.TryGetValue(code, out var i)) throw new ArgumentException($"Example {e} has an activation for {code}, which is not among the weights to fit.", nameof(examples));
                    if (a is < 0 or > 1 || double.IsNaN(a)) throw new ArgumentException($"Example {e}: activation of {code} must be within 0..1, got {a}.", nameof(examples));
                    if (a == 0) continue;
                    feature.Add(i);
                    activation.Add(a);
                }
            }

            start[examples.Count] = feature.Count;
            return new Sparse { Start = start, Feature = [.. feature], Activation = [.. activation], Label = label };
        }

        public double MeanLoss(double[] weights, double baseRate)
        {
            var loss = 0.0;
            for (var e = 0; e < Count; e++) loss += Loss(e, weights, baseRate);
            return loss / Count;
        }

        /// <summary>Count, positives and mean log-loss of the examples where feature <paramref name="feature"/> is active.</summary>
        public (int Count, int Positives, double Loss) LossWhere(int feature, double[] weights, double baseRate)
        {
            var (count, positives, loss) = (0, 0, 0.0);
            for (var e = 0; e < Count; e++)
            {
                if (Array.IndexOf(Feature, feature, Start[e], Start[e + 1] - Start[e]) < 0) continue;
                count++;
                if (Label[e]) positives++;
                loss += Loss(e, weights, baseRate);
            }

            return (count, positives, count == 0 ? 0 : loss / count);
        }

        private double Loss(int e, double[] weights, double baseRate)
        {
            var keep = 1 - baseRate;
            for (var k = Start[e]; k < Start[e + 1]; k++) keep *= 1 - (weights[Feature[k]] * Activation[k]);
            return Label[e] ? -Math.Log(Math.Max(1 - keep, Epsilon)) : -Math.Log(Math.Max(keep, Epsilon));
        }
    }
}
