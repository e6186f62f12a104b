using CivicEdge.Fleet.Contracts;
using CivicEdge.Hardware;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// A profile point as the pipeline after the decoder sees it: its unit conversion, and its deadband and alarm limits
/// converted with it, so that every later stage works in the unit the point is reported in.
/// </summary>
public sealed class NormalizedPoint
{
    public NormalizedPoint(PointDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        Conversion = CanonicalUnits.For(definition.Quantity, definition.Unit);
        Deadband = Conversion.ApplyToDifference(definition.Deadband);
        Alarms = [.. definition.Alarms.Select(Convert)];
    }

    public PointDefinition Definition { get; }

    public string Name => Definition.Name;

    /// <summary>From the profile's unit to the reported one.</summary>
    public UnitConversion Conversion { get; }

    /// <summary>The unit the point is reported in.</summary>
    public string Unit => Conversion.Unit;

    /// <summary>The deadband in the reported unit.</summary>
    public double Deadband { get; }

    /// <summary>The alarm limits with their values and hysteresis in the reported unit.</summary>
    public IReadOnlyList<AlarmLimit> Alarms { get; }

    /// <summary>The value in the reported unit, keeping its quality.</summary>
    public PointValue Normalize(PointValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Conversion.KeepsValue && value.Unit == Unit
            ? value
            : value with { Value = Conversion.Apply(value.Value), Unit = Unit };
    }

    private AlarmLimit Convert(AlarmLimit limit) => limit.Kind == AlarmKind.Set
        ? limit
        : limit with { Value = Conversion.Apply(limit.Value), Hysteresis = Conversion.ApplyToDifference(limit.Hysteresis) };
}
