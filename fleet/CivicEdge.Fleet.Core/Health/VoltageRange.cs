namespace CivicEdge.Fleet.Core.Health;

/// <summary>The range a supply voltage point should stay in; a bound left out is not checked.</summary>
public sealed class VoltageRange
{
    public double? Min { get; set; }

    public double? Max { get; set; }
}
