using BenchmarkDotNet.Attributes;
using CivicEdge.Gateway.Gpio;
using CivicEdge.Gateway.Storage;

namespace CivicEdge.Benchmarks;

/// <summary>
/// What committing pulse totals costs in the gateway database on this disk: the figure behind the default
/// <c>Gpio:CommitInterval</c> of 1 s (at most one commit per second for all counters together).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class PulseTotalCommitBenchmarks : IDisposable
{
    private string _directory = null!;
    private GatewayDatabase _database = null!;
    private PulseTotalStore _store = null!;
    private long _pulses;

    [Params(1, 8)]
    public int Counters { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "civicedge-bench-pulses", Guid.NewGuid().ToString("N"));
        _database = new GatewayDatabase(Path.Combine(_directory, "gateway.db"));
        _store = new PulseTotalStore(_database);
    }

    [Benchmark(Description = "commit pulse totals in one transaction")]
    public void Commit()
    {
        _pulses++;
        var totals = new PulseTotal[Counters];
        for (var i = 0; i < totals.Length; i++)
            totals[i] = new PulseTotal($"wm-{i:D4}/volume", _pulses, _pulses * 10_000, DateTimeOffset.UtcNow);
        _store.Save(totals);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }
}
