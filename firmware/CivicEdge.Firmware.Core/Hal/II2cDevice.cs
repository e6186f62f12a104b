namespace CivicEdge.Firmware.Core.Hal;

/// <summary>One device on an I2C bus at a fixed address (an on-board sensor, an RTC, an EEPROM).</summary>
public interface II2cDevice
{
    /// <summary>Writes <paramref name="write"/> then reads into <paramref name="read"/> in one transaction (repeated start); false on a NACK or bus error.</summary>
    bool TryWriteRead(byte[] write, byte[] read);

    /// <summary>Writes the bytes; false on a NACK or bus error.</summary>
    bool TryWrite(byte[] write);
}
