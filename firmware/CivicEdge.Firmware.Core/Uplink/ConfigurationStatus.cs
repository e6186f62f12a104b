namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>What the device did with a desired configuration (CivicEdge.Fleet.Contracts.ConfigurationStatus on the wire).</summary>
public enum ConfigurationStatus
{
    /// <summary>Every setting was valid and is applied.</summary>
    Applied,

    /// <summary>At least one setting was invalid: none was applied, the errors say why.</summary>
    Refused,
}
