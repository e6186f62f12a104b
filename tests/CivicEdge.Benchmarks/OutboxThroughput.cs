using System.Diagnostics;
using System.Globalization;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Storage;

namespace CivicEdge.Benchmarks;

/// <summary>
/// How many readings per second the outbox makes durable: realistic readings (10 points of a three-phase meter, 50
/// devices in turn) appended in the writer's batches, each batch one transaction waited for until LiteDB's journal has
/// it and synced to the medium (fsync) — the path every reading takes before anything else sees it.
/// </summary>
internal static class OutboxThroughput
{
    private static readonly string[] PointNames =
        ["voltage_l1", "voltage_l2", "voltage_l3", "current_l1", "current_l2", "current_l3", "active_power", "power_factor", "frequency", "import_active_energy"];

    private static readonly string[] Units = ["V", "V", "V", "A", "A", "A", "W", "1", "Hz", "kWh"];

    public static OutboxFigures Run(int readings, int batchSize)
    {
        var directory = Directory.CreateTempSubdirectory("civicedge-bench-outbox-");
        try
        {
            using var outbox = new Outbox(Path.Combine(directory.FullName, "gateway.db"));
            var start = DateTimeOffset.UtcNow;
            var batches = Enumerable.Range(0, readings / batchSize)
                .Select(b => Enumerable.Range(0, batchSize).Select(i => Reading(b * batchSize + i, start)).ToList())
                .ToList();

            // One batch to warm up the JIT and create the collections, not counted.
            outbox.Append(Streams.Telemetry, batches[0]);
            var commits = new List<double>(batches.Count);
            var total = Stopwatch.StartNew();
            foreach (var batch in batches.Skip(1))
            {
                var commit = Stopwatch.StartNew();
                outbox.Append(batch, []);
                commits.Add(commit.Elapsed.TotalMilliseconds);
            }

            total.Stop();
            var counted = (batches.Count - 1) * batchSize;
            commits.Sort();
            var figures = new OutboxFigures(counted, PointNames.Length, batchSize, counted / total.Elapsed.TotalSeconds, commits[commits.Count / 2]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Outbox: {figures.Readings} readings of {figures.Points} points in {total.Elapsed.TotalSeconds:F1} s = {figures.ReadingsPerSecond:F0} durable readings/s, median commit of {batchSize} {figures.MedianCommitMilliseconds:F2} ms"));
            return figures;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    internal static DeviceReading Reading(int i, DateTimeOffset start)
    {
        var points = new PointValue[PointNames.Length];
        for (var p = 0; p < points.Length; p++)
            points[p] = new PointValue(PointNames[p], 230 + p + (i % 97) * 0.01, Units[p], null, Quality.Good);
        return new DeviceReading($"mtr-{i % 50:D2}", "eastron-sdm630", start.AddMilliseconds(i * 20), points);
    }
}
