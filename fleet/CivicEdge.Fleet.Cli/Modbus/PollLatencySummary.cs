namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>Latency of the successful polls of a benchmark, in milliseconds; percentiles by nearest rank.</summary>
public sealed record PollLatencySummary(double Min, double Avg, double P50, double P95, double P99, double Max)
{
    public static PollLatencySummary Empty { get; } = new(0, 0, 0, 0, 0, 0);

    public static PollLatencySummary From(IReadOnlyCollection<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Count == 0)
            return Empty;
        var sorted = milliseconds.Order().ToArray();
        return new PollLatencySummary(sorted[0], sorted.Average(), Rank(sorted, 50), Rank(sorted, 95), Rank(sorted, 99), sorted[^1]);
    }

    private static double Rank(double[] sorted, int percent) =>
        sorted[Math.Max(0, (int)Math.Ceiling(percent / 100.0 * sorted.Length) - 1)];
}
