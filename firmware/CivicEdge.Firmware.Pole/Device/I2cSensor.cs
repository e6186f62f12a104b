using System.Device.I2c;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>A device on the ESP32's I2C bus at a fixed address.</summary>
public sealed class I2cSensor : II2cDevice
{
    private readonly I2cDevice _device;

    public I2cSensor(int busId, int address)
    {
        _device = I2cDevice.Create(new I2cConnectionSettings(busId, address, I2cBusSpeed.StandardMode));
    }

    public bool TryWriteRead(byte[] write, byte[] read)
    {
        var result = _device.WriteRead(new SpanByte(write), new SpanByte(read));
        return result.Status == I2cTransferStatus.FullTransfer;
    }

    public bool TryWrite(byte[] write)
    {
        var result = _device.Write(new SpanByte(write));
        return result.Status == I2cTransferStatus.FullTransfer;
    }
}
