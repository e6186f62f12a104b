using BenchmarkDotNet.Attributes;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Hardware;

namespace CivicEdge.Benchmarks;

/// <summary>
/// One poll of an SDM630 (17 points, voltage alarm limits, billing registers) through the acquisition pipeline after
/// the decoder: normalize, qualify, alarms, report by exception. The rate in points per second is 17 × ops/s.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class AcquisitionPipelineBenchmarks
{
    private const int Variants = 64;

    private DevicePipeline _pipeline = null!;
    private PollResult[] _moving = null!;
    private PollResult _still = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var directory = ProfileDirectory.FindAbove([AppContext.BaseDirectory, Environment.CurrentDirectory])
            ?? throw new InvalidOperationException("No hardware/profiles above the benchmark.");
        var profile = ProfileLoader.LoadDirectory(directory).Get("eastron-sdm630");
        _pipeline = new DevicePipeline("mtr-bench", profile, []);
        var random = new Random(1);
        var start = new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

        // Every value moves by more than its deadband from one poll to the next, so every point is reported.
        _moving = [.. Enumerable.Range(0, Variants).Select(i => new PollResult(
            start.AddSeconds(5 * i),
            true,
            [.. profile.Points.Select(p => (PointValue?)new PointValue(p.Name, Typical(p) + (i % 2 == 0 ? 1 : -1) * (p.Deadband + 0.01) * (1 + random.NextDouble()), p.Unit, p.Quantity, Quality.Good))]))];
        _still = _moving[0] with { Timestamp = start };
        _pipeline.Process(_still);
    }

    [Benchmark(Description = "pipeline: SDM630 poll, every point reported")]
    public int EveryPointMoves() => _pipeline.Process(_moving[_next++ % Variants]).Readings.Count;

    [Benchmark(Description = "pipeline: SDM630 poll, nothing to report")]
    public int NothingMoves() => _pipeline.Process(_still).Readings.Count;

    private static double Typical(PointDefinition point) => point.Quantity switch
    {
        "voltage" => 230,
        "frequency" => 50,
        "power_factor" => 0.9,
        _ => 1_000,
    };
}
