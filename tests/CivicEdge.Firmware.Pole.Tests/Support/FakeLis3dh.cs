using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Tests.Support;

/// <summary>A LIS3DH as its register file answers on the bus: WHO_AM_I 0x33, X/Y/Z from a gravity vector in g, 1 mg per digit left-justified.</summary>
public sealed class FakeLis3dh : II2cDevice
{
    private readonly Dictionary<byte, byte> _written = [];

    public double X { get; set; }

    public double Y { get; set; }

    public double Z { get; set; } = 1;

    /// <summary>The bus fails every transfer (sensor unplugged).</summary>
    public bool Absent { get; set; }

    public byte Register(byte address) => _written.TryGetValue(address, out var value) ? value : (byte)0;

    /// <summary>Tilts the gravity vector by <paramref name="degrees"/> from upright, towards X.</summary>
    public void Lean(double degrees)
    {
        var radians = degrees * Math.PI / 180;
        X = Math.Sin(radians);
        Y = 0;
        Z = Math.Cos(radians);
    }

    public bool TryWrite(byte[] write)
    {
        if (Absent)
            return false;
        _written[write[0]] = write[1];
        return true;
    }

    public bool TryWriteRead(byte[] write, byte[] read)
    {
        if (Absent)
            return false;
        var register = (byte)(write[0] & 0x7F);
        if (register == 0x0F)
        {
            read[0] = 0x33;
            return true;
        }

        if (register != 0x28 || read.Length != 6)
            return false;
        Put(read, 0, X);
        Put(read, 2, Y);
        Put(read, 4, Z);
        return true;
    }

    private static void Put(byte[] into, int offset, double g)
    {
        var word = (short)(Math.Round(g * 1000) * 16);
        into[offset] = (byte)word;
        into[offset + 1] = (byte)(word >> 8);
    }
}
