using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Host;

/// <summary>
/// A LIS3DH accelerometer on I2C as a pole controller reads it: WHO_AM_I (0x0F) answers 0x33, and OUT_X_L (0x28,
/// auto-increment) answers the three axes as 12-bit left-justified readings at 1 mg/digit (ST LIS3DH datasheet,
/// high-resolution mode ±2 g). The pole stands upright until <see cref="Lean"/> tilts it.
/// </summary>
public sealed class SimulatedLis3dh : II2cDevice
{
    private const byte WhoAmI = 0x0F;
    private const byte Identity = 0x33;
    private const byte OutXLow = 0x28;

    private double _x;
    private double _z = 1;

    /// <summary>Tilts the pole <paramref name="degrees"/> from vertical along the sensor's X axis.</summary>
    public void Lean(double degrees)
    {
        var radians = degrees * Math.PI / 180;
        _x = Math.Sin(radians);
        _z = Math.Cos(radians);
    }

    public bool TryWrite(byte[] write) => write is { Length: >= 1 };

    public bool TryWriteRead(byte[] write, byte[] read)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(read);
        var register = (byte)(write[0] & 0x7F);
        if (register == WhoAmI && read.Length == 1)
        {
            read[0] = Identity;
            return true;
        }

        if (register != OutXLow || read.Length != 6)
            return false;
        Put(read, 0, _x);
        Put(read, 2, 0);
        Put(read, 4, _z);
        return true;
    }

    private static void Put(byte[] into, int offset, double g)
    {
        var word = (short)(Math.Round(g * 1000) * 16);
        into[offset] = (byte)word;
        into[offset + 1] = (byte)(word >> 8);
    }
}
