using CivicEdge.Rules.Documents;
using CivicEdge.Rules.Evaluation;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Rules.Tests.Support;

/// <summary>An engine over a rule set given as text, with a fake clock and a recorder of what it decides.</summary>
internal sealed class RuleRig
{
    public static readonly DateTimeOffset Start = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    public RuleRig(string yaml, IReadOnlyDictionary<string, string>? binding = null, RuleEngineOptions? options = null, DateTimeOffset? start = null)
    {
        Clock = new FakeTimeProvider(start ?? Start);
        RuleSet = RuleSetLoader.Parse(yaml, "test.yaml", Repository.Catalog);
        Engine = new RuleEngine(RuleSet, binding is null ? DeviceBinding.None : new DeviceBinding(binding), options ?? new RuleEngineOptions(), Clock, Recorder);
    }

    public FakeTimeProvider Clock { get; }

    public RuleSet RuleSet { get; }

    public RuleEngine Engine { get; }

    public IntentRecorder Recorder { get; } = new();

    /// <summary>A good reading now.</summary>
    public void Read(string device, string point, double value) =>
        Engine.Update(device, point, value, ReadingQuality.Good, Clock.GetUtcNow());

    /// <summary>Moves the clock on and ticks the engine, once per second of the way so that nothing is skipped.</summary>
    public void Advance(TimeSpan by)
    {
        var end = Clock.GetUtcNow() + by;
        while (Clock.GetUtcNow() < end)
        {
            var step = end - Clock.GetUtcNow();
            Clock.Advance(step < TimeSpan.FromSeconds(1) ? step : TimeSpan.FromSeconds(1));
            Engine.Tick();
        }
    }

    /// <summary>Moves the clock on in big steps, ticking at each; for hours of simulated time.</summary>
    public void AdvanceCoarsely(TimeSpan by, TimeSpan step)
    {
        var end = Clock.GetUtcNow() + by;
        while (Clock.GetUtcNow() < end)
        {
            var left = end - Clock.GetUtcNow();
            Clock.Advance(left < step ? left : step);
            Engine.Tick();
        }
    }
}
