using CivicEdge.Modbus;

namespace CivicEdge.Simulators.Firmware;

/// <summary>A firmware application running on simulated hardware, answering a Modbus master through <see cref="Bank"/>.</summary>
public interface IFirmwareDevice
{
    /// <summary>Model key of the hardware profile that describes the device's registers.</summary>
    string Model { get; }

    /// <summary>The device's registers as a master reads them, copied from the firmware after every update.</summary>
    RegisterBank Bank { get; }

    /// <summary>The script actions the device understands, e.g. <c>flow</c>, <c>magnet</c>.</summary>
    IReadOnlyList<string> Actions { get; }

    /// <summary>Runs the firmware's main loop up to <paramref name="now"/>, letting its simulated world act in between.</summary>
    void Update(DateTimeOffset now);

    /// <summary>Applies one script action; returns an error saying what was expected when the argument does not fit.</summary>
    string? Apply(string action, string? argument);
}
