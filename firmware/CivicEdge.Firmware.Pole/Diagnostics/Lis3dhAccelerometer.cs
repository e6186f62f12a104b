using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Diagnostics;

/// <summary>
/// ST LIS3DH three-axis accelerometer on I2C (datasheet DocID17530 rev 2): WHO_AM_I (0x0F) reads 0x33; CTRL_REG1
/// (0x20) = 0x27 for 10 Hz with X, Y and Z enabled; CTRL_REG4 (0x23) = 0x88 for block data update and high-resolution
/// ±2 g; OUT_X_L (0x28) with the auto-increment bit (0x80) reads X, Y, Z as little-endian left-justified 12-bit values,
/// 1 mg per digit.
/// </summary>
public sealed class Lis3dhAccelerometer
{
    private const byte WhoAmI = 0x0F;
    private const byte Identity = 0x33;
    private const byte CtrlReg1 = 0x20;
    private const byte CtrlReg4 = 0x23;
    private const byte OutXLow = 0x28;
    private const byte AutoIncrement = 0x80;

    private readonly II2cDevice _device;
    private readonly byte[] _register = new byte[1];
    private readonly byte[] _one = new byte[1];
    private readonly byte[] _pair = new byte[2];
    private readonly byte[] _axes = new byte[6];

    public Lis3dhAccelerometer(II2cDevice device)
    {
        _device = device;
    }

    /// <summary>Checks the identity and configures the sensor; false when it does not answer or is another part.</summary>
    public bool TryInitialize()
    {
        _register[0] = WhoAmI;
        if (!_device.TryWriteRead(_register, _one) || _one[0] != Identity)
        {
            return false;
        }

        _pair[0] = CtrlReg1;
        _pair[1] = 0x27;
        if (!_device.TryWrite(_pair))
        {
            return false;
        }

        _pair[0] = CtrlReg4;
        _pair[1] = 0x88;
        return _device.TryWrite(_pair);
    }

    /// <summary>Acceleration on each axis in g; false on a bus error.</summary>
    public bool TryRead(out double x, out double y, out double z)
    {
        _register[0] = OutXLow | AutoIncrement;
        if (!_device.TryWriteRead(_register, _axes))
        {
            x = 0;
            y = 0;
            z = 0;
            return false;
        }

        x = Axis(0);
        y = Axis(2);
        z = Axis(4);
        return true;
    }

    private double Axis(int offset)
    {
        // Left-justified: the 12 significant bits are the top of the 16-bit two's complement word.
        var word = (short)(_axes[offset] | (_axes[offset + 1] << 8));
        return (word >> 4) / 1000.0;
    }
}
