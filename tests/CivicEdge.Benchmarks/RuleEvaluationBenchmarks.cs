using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CivicEdge.Rules.Documents;
using CivicEdge.Rules.Evaluation;

namespace CivicEdge.Benchmarks;

/// <summary>
/// The edge rules engine on one core: 1,000 rules over 5,000 points (1,000 devices of 5 points; each rule reads the 5
/// points of its device in a condition of arithmetic, abs, max and comparisons that stays false, so every term is
/// evaluated and no action fires). One operation is one reading that changes a point's value and the evaluation of the
/// rule that reads it; the readings go round all 5,000 points.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OneCore))]
public class RuleEvaluationBenchmarks
{
    private const int Rules = 1_000;
    private const int PointsPerDevice = 5;
    private const int Points = Rules * PointsPerDevice;

    private readonly int[] _slots = new int[Points];
    private RuleEngine _engine = null!;
    private DateTimeOffset _at;
    private int _round;

    [GlobalSetup]
    public void CompileRuleSet()
    {
        var yaml = new StringBuilder("schema: civicedge.rules/v1\nid: bench\nversion: 1\ndevices:\n");
        for (var d = 0; d < Rules; d++)
            yaml.Append(FormattableString.Invariant($"  d{d}: {{ model: bench-sensor, id: dev-{d} }}\n"));
        yaml.Append("rules:\n");
        for (var r = 0; r < Rules; r++)
        {
            yaml.Append(FormattableString.Invariant(
                $"  - id: r{r}\n    when: d{r}.p0 + d{r}.p1 * 2 > 1000 or abs(d{r}.p2 - d{r}.p3) > 500 or max(d{r}.p4, d{r}.p0) > 900\n    for: 10s\n    then:\n      - raise: {{ alarm: a{r} }}\n"));
        }
        var ruleSet = RuleSetLoader.Parse(yaml.ToString(), "bench.yaml", new BenchCatalog());
        _engine = new RuleEngine(ruleSet, DeviceBinding.None, new RuleEngineOptions(), TimeProvider.System, new DiscardingSink());
        for (var d = 0; d < Rules; d++)
        {
            for (var p = 0; p < PointsPerDevice; p++)
            {
                if (!_engine.TryGetSlot($"dev-{d}", $"p{p}", out _slots[(d * PointsPerDevice) + p]))
                    throw new InvalidOperationException($"No slot for dev-{d}.p{p}.");
                _engine.Update(_slots[(d * PointsPerDevice) + p], 1, ReadingQuality.Good, DateTimeOffset.UtcNow);
            }
        }
        _at = DateTimeOffset.UtcNow;
    }

    [Benchmark(Description = "reading + rule evaluation (1,000 rules, 5,000 points)", OperationsPerInvoke = Points)]
    public long EvaluateOnChange()
    {
        // Alternate between two values so that every reading is a change and evaluates its rule.
        var value = 10.0 + (++_round & 1);
        for (var i = 0; i < _slots.Length; i++)
            _engine.Update(_slots[i], value, ReadingQuality.Good, _at);
        return _engine.Counters.Evaluations;
    }

    private sealed class OneCore : ManualConfig
    {
        public OneCore() => AddJob(Job.ShortRun.WithAffinity(1));
    }

    private sealed class BenchCatalog : IPointCatalog
    {
        private static readonly CatalogPoint[] Sensor =
            [.. Enumerable.Range(0, PointsPerDevice).Select(p => new CatalogPoint($"p{p}", Writable: false, Numeric: true, "1"))];

        public IEnumerable<string> Models => ["bench-sensor"];

        public IReadOnlyList<CatalogPoint>? PointsOf(string model) => model == "bench-sensor" ? Sensor : null;
    }

    private sealed class DiscardingSink : IRuleIntentSink
    {
        public void Emit(RuleIntent intent) => throw new InvalidOperationException($"The benchmark's rules never fire; {intent} did.");
    }
}
