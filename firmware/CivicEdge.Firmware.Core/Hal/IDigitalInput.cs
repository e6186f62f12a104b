namespace CivicEdge.Firmware.Core.Hal;

/// <summary>A digital input pin (door contact, tilt switch, pulse input, photocell), read level as the pin sees it.</summary>
public interface IDigitalInput
{
    /// <summary>True when the pin reads high.</summary>
    bool Read();
}
