namespace CivicEdge.Firmware.Core.Modbus;

/// <summary>
/// The silent intervals of a Modbus RTU line (MODBUS over Serial Line V1.02, §2.5.1.1): a frame ends after 3.5
/// character times of silence (t3.5). A character is 11 bits in RTU (start, 8 data, parity or a second stop bit,
/// stop). Above 19200 baud the specification fixes t3.5 at 1.75 ms and t1.5 at 750 µs, so that a fast line does not
/// depend on timers finer than the hardware has.
/// </summary>
public static class ModbusSerialTiming
{
    /// <summary>t3.5 in microseconds.</summary>
    public static int FrameSilenceMicroseconds(int baudRate)
    {
        CheckBaudRate(baudRate);
        return baudRate > 19200 ? 1750 : (int)((38_500_000L + baudRate - 1) / baudRate);
    }

    /// <summary>t1.5 in microseconds.</summary>
    public static int CharacterGapMicroseconds(int baudRate)
    {
        CheckBaudRate(baudRate);
        return baudRate > 19200 ? 750 : (int)((16_500_000L + baudRate - 1) / baudRate);
    }

    /// <summary>
    /// t3.5 rounded up to whole milliseconds, the resolution of <see cref="Hal.ISerialLink.Read"/>'s timeout: the
    /// silence after which a frame counts as complete.
    /// </summary>
    public static int FrameSilenceMilliseconds(int baudRate) => (FrameSilenceMicroseconds(baudRate) + 999) / 1000;

    /// <summary>How long <paramref name="bytes"/> take on the wire at 11 bits each, in whole milliseconds, rounded up.</summary>
    public static int TransmitMilliseconds(int baudRate, int bytes)
    {
        CheckBaudRate(baudRate);
        return (int)(((bytes * 11_000L) + baudRate - 1) / baudRate);
    }

    private static void CheckBaudRate(int baudRate)
    {
        if (baudRate < 50 || baudRate > 4_000_000)
        {
            throw new System.ArgumentOutOfRangeException(nameof(baudRate), "Expected a baud rate of 50..4000000, found " + baudRate + ".");
        }
    }
}
