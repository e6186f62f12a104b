namespace CivicEdge.Gateway.Ota;

/// <summary>The device's update state as its status register holds it (hardware/ota/modbus-update.md).</summary>
public enum FieldDeviceUpdateState
{
    Idle = 0,
    Receiving = 1,
    Verifying = 2,
    Staged = 3,
    Rebooting = 4,
    Trial = 5,
    Confirmed = 6,
    Failed = 7,
    RolledBack = 8,
}
