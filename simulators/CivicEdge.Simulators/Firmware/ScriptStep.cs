namespace CivicEdge.Simulators.Firmware;

/// <summary>One step of a device script: at <see cref="At"/> after start, devices <see cref="FirstDevice"/>..<see cref="LastDevice"/> (1-based) do <see cref="Action"/>.</summary>
public sealed record ScriptStep(TimeSpan At, string Action, string? Argument, int FirstDevice, int LastDevice)
{
    public bool Covers(int device) => device >= FirstDevice && device <= LastDevice;
}
