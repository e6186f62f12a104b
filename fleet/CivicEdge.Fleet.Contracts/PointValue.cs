namespace CivicEdge.Fleet.Contracts;

/// <summary>One measured point of a device at the record's time.</summary>
/// <param name="Name">The point name from the device's hardware profile, e.g. <c>voltage_l1</c>.</param>
/// <param name="Value">The value in <paramref name="Unit"/>, already scaled.</param>
/// <param name="Unit">The unit symbol, e.g. <c>V</c>, <c>A</c>, <c>kWh</c>.</param>
/// <param name="Quantity">The physical quantity, e.g. <c>voltage</c>, <c>energy</c>; null where the profile names none.</param>
/// <param name="Quality">How far the value can be trusted.</param>
public sealed record PointValue(string Name, double Value, string Unit, string? Quantity, Quality Quality);
