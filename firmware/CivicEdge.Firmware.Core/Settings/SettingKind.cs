namespace CivicEdge.Firmware.Core.Settings;

/// <summary>The type of a stored setting; the numbers are part of the stored image and never change.</summary>
public enum SettingKind
{
    Int32 = 1,
    Int64 = 2,
    Double = 3,
    Boolean = 4,
    String = 5,
    Bytes = 6,
}
