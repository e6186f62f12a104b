namespace CivicEdge.Fleet.Cli.Rules;

/// <summary>One reading of a recording that <c>civic rules test --replay</c> runs a rule set over.</summary>
/// <param name="Time">When it was read (UTC).</param>
/// <param name="Device">The device's unified device code.</param>
/// <param name="Point">The point's name, as the profile names it.</param>
/// <param name="Value">The value in the reported unit.</param>
/// <param name="Good">False when its quality was anything but good (the rules then take the value as unknown).</param>
public sealed record RecordedReading(DateTimeOffset Time, string Device, string Point, double Value, bool Good);
