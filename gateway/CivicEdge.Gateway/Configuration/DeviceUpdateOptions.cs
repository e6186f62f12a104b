using CivicEdge.Gateway.Ota;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// The <c>DeviceUpdate</c> section: the gateway relaying the fleet's firmware offers to the field devices on its Modbus
/// RTU buses. The fleet's address and the trusted signer keys are the <c>SelfUpdate</c> section's, which say the same
/// thing for the gateway's own updates; downloads authenticate with the uplink's own credential.
/// </summary>
public sealed class DeviceUpdateOptions
{
    public const string SectionName = "DeviceUpdate";

    /// <summary>False (the default) to refuse every offer for a field device.</summary>
    public bool Enabled { get; set; }

    /// <summary>The profile models whose devices carry the update block of hardware/ota/modbus-update.md; a device of any other is refused.</summary>
    public List<string> Profiles { get; set; } = [];

    /// <summary>How images are fed to a device: chunk size, share of the bus, timeouts.</summary>
    public FieldUpdateOptions Transfer { get; set; } = new();
}
