using System.Globalization;
using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>Modbus RTU frames written as hex, as they appear in the specification and on a bus analyser.</summary>
internal static class Frames
{
    /// <summary>The bytes of "11 03 00 6B", as written.</summary>
    public static byte[] Hex(string hex) =>
        [.. hex.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(b => byte.Parse(b, NumberStyles.HexNumber, CultureInfo.InvariantCulture))];

    /// <summary>The bytes of "11 03 00 6B" with their CRC appended.</summary>
    public static byte[] WithCrc(string hex)
    {
        var body = Hex(hex);
        var frame = new byte[body.Length + 2];
        body.CopyTo(frame, 0);
        ModbusCrc16.Append(frame, body.Length);
        return frame;
    }

    public static string ToHex(byte[] frame) => string.Join(' ', frame.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
}
