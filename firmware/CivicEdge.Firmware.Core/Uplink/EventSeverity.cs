namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>How urgent an event is (CivicEdge.Fleet.Contracts.EventSeverity on the wire; ISA-18.2 priorities, simplified).</summary>
public enum EventSeverity
{
    Info,
    Warning,
    Major,
    Critical,
}
