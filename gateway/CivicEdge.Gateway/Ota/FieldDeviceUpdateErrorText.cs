namespace CivicEdge.Gateway.Ota;

/// <summary>The device's last-error register in the words an operator reads in a campaign's reasons (hardware/ota/modbus-update.md).</summary>
public static class FieldDeviceUpdateErrorText
{
    public static string Describe(this FieldDeviceUpdateError error) => error switch
    {
        FieldDeviceUpdateError.None => "no error",
        FieldDeviceUpdateError.ImageTooLarge => "the image is larger than the device's update area (error 1)",
        FieldDeviceUpdateError.BadVersion => "the device refused the manifest's version (error 2)",
        FieldDeviceUpdateError.OffsetOutOfRange => "a chunk came past the offset the device needed (error 3)",
        FieldDeviceUpdateError.HashMismatch => "the staged image's SHA-256 did not match the manifest (error 4)",
        FieldDeviceUpdateError.WrongState => "a command came in a state that does not take it (error 5)",
        FieldDeviceUpdateError.StorageFault => "the device could not write its update area (error 6)",
        FieldDeviceUpdateError.NeverConfirmed => "the new image booted but never confirmed itself healthy (error 7)",
        FieldDeviceUpdateError.UnknownCommand => "the device did not know the command (error 8)",
        _ => $"error {(int)error}, which the update map does not define",
    };
}
