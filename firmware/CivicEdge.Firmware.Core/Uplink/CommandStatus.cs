namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>How a device says a command ended (CivicEdge.Fleet.Contracts.Commands.CommandStatus on the wire).</summary>
public enum CommandStatus
{
    Succeeded,
    Failed,
    Rejected,
    Expired,
    UnknownTarget,
}
