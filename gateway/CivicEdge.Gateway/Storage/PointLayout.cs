namespace CivicEdge.Gateway.Storage;

/// <summary>
/// What every reading of one device repeats: its id, model and the name, unit and quantity of each point. Stored once,
/// so that a stored reading is only its layout number, time, values, qualities and which of the layout's points it holds.
/// </summary>
internal sealed record PointLayout(int Id, string DeviceId, string? Model, string[] Names, string[] Units, string?[] Quantities);
