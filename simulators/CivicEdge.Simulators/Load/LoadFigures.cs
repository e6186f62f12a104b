using System.Globalization;

namespace CivicEdge.Simulators.Load;

/// <summary>What a load run achieved over its counted time (after the warm-up).</summary>
/// <param name="Seconds">The time counted.</param>
/// <param name="Records">Readings the fleet acknowledged as persisted for the first time.</param>
/// <param name="Points">Their points.</param>
/// <param name="Duplicates">Readings the fleet acknowledged as held already (resends).</param>
/// <param name="Rejected">Batches the fleet refused.</param>
/// <param name="Resent">Batches sent again after their acknowledgement did not come in time.</param>
/// <param name="AckP50Milliseconds">Median time from publishing a batch to its acknowledgement.</param>
/// <param name="AckP99Milliseconds">99th percentile of the same.</param>
/// <param name="Connected">Gateways connected at the end.</param>
public sealed record LoadFigures(
    double Seconds,
    long Records,
    long Points,
    long Duplicates,
    long Rejected,
    long Resent,
    double AckP50Milliseconds,
    double AckP99Milliseconds,
    int Connected)
{
    public double RecordsPerSecond => Seconds > 0 ? Records / Seconds : 0;

    public double PointsPerSecond => Seconds > 0 ? Points / Seconds : 0;

    /// <summary>One line of <c>key=value</c> pairs, as <c>civicsim load</c> prints it last and scripts read it.</summary>
    public string ToLine() => string.Create(
        CultureInfo.InvariantCulture,
        $"seconds={Seconds:F1} records={Records} points={Points} records_per_second={RecordsPerSecond:F0} points_per_second={PointsPerSecond:F0} duplicates={Duplicates} rejected={Rejected} resent={Resent} ack_p50_ms={AckP50Milliseconds:F1} ack_p99_ms={AckP99Milliseconds:F1} connected={Connected}");

    /// <summary>Reads what <see cref="ToLine"/> wrote (the line may carry a prefix).</summary>
    public static LoadFigures Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(field => field.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        double D(string key) => double.Parse(fields[key], CultureInfo.InvariantCulture);
        long L(string key) => long.Parse(fields[key], CultureInfo.InvariantCulture);
        return new LoadFigures(D("seconds"), L("records"), L("points"), L("duplicates"), L("rejected"), L("resent"), D("ack_p50_ms"), D("ack_p99_ms"), (int)L("connected"));
    }
}
