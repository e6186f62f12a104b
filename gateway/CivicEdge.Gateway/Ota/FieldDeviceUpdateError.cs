namespace CivicEdge.Gateway.Ota;

/// <summary>The device's last-error register (hardware/ota/modbus-update.md).</summary>
public enum FieldDeviceUpdateError
{
    None = 0,
    ImageTooLarge = 1,
    BadVersion = 2,
    OffsetOutOfRange = 3,
    HashMismatch = 4,
    WrongState = 5,
    StorageFault = 6,
    NeverConfirmed = 7,
    UnknownCommand = 8,
}
