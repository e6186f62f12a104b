namespace CivicEdge.Firmware.Core.Hal;

/// <summary>A digital output pin (lamp relay, status LED, sensor power switch).</summary>
public interface IDigitalOutput
{
    /// <summary>The level last written.</summary>
    bool State { get; }

    /// <summary>Drives the pin high (true) or low (false).</summary>
    void Write(bool high);
}
