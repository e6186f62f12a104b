namespace CivicEdge.Firmware.Host;

/// <summary>A simulated power loss cut a settings write short; the firmware "dies" here and the test boots it again.</summary>
public sealed class PowerLossException(string slot, int written, int length)
    : Exception($"Power lost while writing settings slot '{slot}': {written} of {length} bytes reached storage.");
