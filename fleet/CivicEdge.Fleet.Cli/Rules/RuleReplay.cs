using System.Globalization;
using CivicEdge.Rules.Documents;
using CivicEdge.Rules.Evaluation;

namespace CivicEdge.Fleet.Cli.Rules;

/// <summary>
/// Runs a rule set over recorded readings on a <see cref="ReplayClock"/>: before each reading the engine is ticked up to
/// its time (every <c>tick</c>, as the gateway ticks it), then the reading is fed; after the last reading the clock runs
/// on for <c>tail</c> so a <c>for</c> or a schedule just after the recording still shows. Returns what the rules decided.
/// </summary>
public sealed class RuleReplay : IRuleIntentSink
{
    private readonly List<RuleIntent> _intents = [];

    /// <summary>The replay of <paramref name="ruleSet"/> over <paramref name="readings"/> (oldest first).</summary>
    public static IReadOnlyList<RuleIntent> Run(
        RuleSet ruleSet, DeviceBinding binding, RuleEngineOptions options, IReadOnlyList<RecordedReading> readings, TimeSpan tick, TimeSpan tail)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (tick <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(tick), tick, "Expected a positive tick.");
        if (readings.Count == 0)
            return [];
        var replay = new RuleReplay();
        var clock = new ReplayClock(readings[0].Time);
        var engine = new RuleEngine(ruleSet, binding, options, clock, replay);
        foreach (var reading in readings)
        {
            TickUntil(engine, clock, reading.Time, tick);
            engine.Update(reading.Device, reading.Point, reading.Value, reading.Good ? ReadingQuality.Good : ReadingQuality.Bad, reading.Time);
        }

        TickUntil(engine, clock, clock.Now + tail, tick);
        return replay._intents;
    }

    /// <summary>One line for a person: what an intent would have done.</summary>
    public static string Describe(RuleIntent intent) => intent switch
    {
        RaiseAlarm r => $"raise {r.Alarm} on {r.DeviceId} ({r.Severity.ToString().ToLowerInvariant()}): {r.Message}",
        ClearAlarm c => $"clear {c.Alarm} on {c.DeviceId}{(c.WasAcknowledged ? " (acknowledged)" : "")}",
        AcknowledgeAlarm a => $"acknowledge {a.Alarm} on {a.DeviceId}",
        WritePoint w => $"write {w.DeviceId}.{w.Point} = {w.Value.ToString("G", CultureInfo.InvariantCulture)}",
        PublishEvent p => $"publish {p.Event}{(p.DeviceId is null ? "" : $" for {p.DeviceId}")}: {p.Message}",
        SetVirtualPoint s => $"set virtual.{s.Point} = {s.Value.ToString("G", CultureInfo.InvariantCulture)}",
        _ => intent.ToString(),
    };

    /// <summary>The intent's kind, as the JSON output names it.</summary>
    public static string Kind(RuleIntent intent) => intent switch
    {
        RaiseAlarm => "raise",
        ClearAlarm => "clear",
        AcknowledgeAlarm => "acknowledge",
        WritePoint => "write",
        PublishEvent => "publish",
        SetVirtualPoint => "set",
        _ => "other",
    };

    void IRuleIntentSink.Emit(RuleIntent intent) => _intents.Add(intent);

    private static void TickUntil(RuleEngine engine, ReplayClock clock, DateTimeOffset until, TimeSpan tick)
    {
        while (clock.Now + tick <= until)
        {
            clock.Now += tick;
            engine.Tick();
        }

        if (clock.Now < until)
        {
            clock.Now = until;
            engine.Tick();
        }
    }
}
