namespace CivicEdge.Firmware.Core.Hal;

/// <summary>
/// Non-volatile storage for small named blobs (flash pages, EEPROM, RTC memory). A write may be cut by a power loss at
/// any byte, so callers keep two copies with a checksum and never assume a write finished.
/// </summary>
public interface ISettingsStorage
{
    /// <summary>The blob stored under <paramref name="slot"/>, or null when there is none.</summary>
    byte[] Read(string slot);

    /// <summary>Replaces the blob stored under <paramref name="slot"/>.</summary>
    void Write(string slot, byte[] data);

    /// <summary>Erases the blob stored under <paramref name="slot"/>.</summary>
    void Erase(string slot);
}
