using System.Globalization;

namespace PracticeMesh.Benchmarks.SideBySide;

/// <summary>One side of a comparison in one round: throughput, latency and the CPU the serving side spent per operation.</summary>
/// <param name="CpuMsPerOp">CPU milliseconds per operation of the processes that serve it (not the load generator).</param>
public sealed record Sample(double OpsPerSecond, double P50Ms, double P99Ms, double CpuMsPerOp)
{
    /// <summary>The median of each figure over the rounds (each figure on its own).</summary>
    public static Sample Median(IEnumerable<Sample> rounds)
    {
        var list = rounds.ToList();
        return new Sample(Rounds.Median(list.Select(s => s.OpsPerSecond)), Rounds.Median(list.Select(s => s.P50Ms)),
            Rounds.Median(list.Select(s => s.P99Ms)), Rounds.Median(list.Select(s => s.CpuMsPerOp)));
    }
}

/// <summary>A named side (e.g. "through the gateway") and its samples, one per round.</summary>
public sealed record Side(string Name, IReadOnlyList<Sample> Samples)
{
    public Sample Median => Sample.Median(Samples);
}

/// <summary>One line of the table: what was compared, the figure, the goal and whether it holds.</summary>
/// <param name="Id">G1, M2, …</param>
/// <param name="Result">The figure as printed, e.g. "0.43" or "p50 +0.21 ms, p99 +0.80 ms".</param>
/// <param name="Note">What limits it when the goal does not hold, or how it was measured.</param>
public sealed record Finding(string Id, string What, string Result, string Goal, bool Met, IReadOnlyList<Side> Sides, string? Note = null)
{
    /// <summary>The comparison could not be measured (an error, not a missed goal).</summary>
    public bool Failed { get; init; }
}

public static class Rounds
{
    /// <summary>
    /// Runs each side once per round, in turn (A, B, A, B, …), so slow drift of a noisy machine falls on all sides
    /// alike; returns each side's samples.
    /// </summary>
    public static async Task<IReadOnlyList<Sample>[]> InterleaveAsync(int rounds, params Func<int, Task<Sample>>[] sides)
    {
        var samples = sides.Select(_ => new List<Sample>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < sides.Length; i++)
            {
                samples[i].Add(await sides[i](round));
            }
        }
        return samples;
    }

    /// <summary>The median over rounds of A ÷ B within each round.</summary>
    public static double MedianRatio(IReadOnlyList<Sample> a, IReadOnlyList<Sample> b, Func<Sample, double> figure) =>
        Median(a.Zip(b, (x, y) => figure(x) / figure(y)));

    /// <summary>The median over rounds of A − B within each round.</summary>
    public static double MedianDifference(IReadOnlyList<Sample> a, IReadOnlyList<Sample> b, Func<Sample, double> figure) =>
        Median(a.Zip(b, (x, y) => figure(x) - figure(y)));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The nearest-rank percentile (0–100) of <paramref name="values"/>.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public static string Format(double value, string format = "F2") => value.ToString(format, CultureInfo.InvariantCulture);
}
