namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// The silent intervals that delimit RTU frames on a serial line, and the time bytes take on the wire
/// (MODBUS over Serial Line V1.02 §2.5.1.1). A character is a start bit, the data bits, the parity bit if any and the
/// stop bits: 11 bits for 8E1, 8O1 and 8N2, 10 bits for 8N1.
/// </summary>
public readonly record struct ModbusSilentInterval
{
    /// <summary>
    /// Above this baud rate the intervals no longer shrink with the bit time: the UART interrupt load would be too
    /// high, so §2.5.1.1 fixes t1.5 at 750 µs and t3.5 at 1.750 ms.
    /// </summary>
    public const int FixedAboveBaudRate = 19200;

    private static readonly TimeSpan FixedT15 = TimeSpan.FromMicroseconds(750);
    private static readonly TimeSpan FixedT35 = TimeSpan.FromMicroseconds(1750);

    private ModbusSilentInterval(int baudRate, int bitsPerCharacter)
    {
        BaudRate = baudRate;
        BitsPerCharacter = bitsPerCharacter;
    }

    /// <summary>The line speed in bits per second.</summary>
    public int BaudRate { get; }

    /// <summary>Bits on the wire per byte: start, data, parity, stop.</summary>
    public int BitsPerCharacter { get; }

    /// <summary>Seconds one character takes on the wire.</summary>
    public double CharacterSeconds => (double)BitsPerCharacter / BaudRate;

    /// <summary>The longest silence allowed between two characters of one frame (t1.5), rounded up to a tick.</summary>
    public TimeSpan T15 => BaudRate > FixedAboveBaudRate ? FixedT15 : Ticks(1.5 * CharacterSeconds);

    /// <summary>The shortest silence between two frames (t3.5), rounded up to a tick.</summary>
    public TimeSpan T35 => BaudRate > FixedAboveBaudRate ? FixedT35 : Ticks(3.5 * CharacterSeconds);

    /// <summary>t3.5 in seconds, unrounded, for rate calculations.</summary>
    public double T35Seconds => BaudRate > FixedAboveBaudRate ? FixedT35.TotalSeconds : 3.5 * CharacterSeconds;

    /// <summary>Describes a line: baud rate, parity, stop bits and data bits (8 for RTU, §2.5.1).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A baud rate below 1, stop bits other than 1 or 2, data bits other than 5..8.</exception>
    public static ModbusSilentInterval For(int baudRate, SerialParity parity = SerialParity.Even, int stopBits = 1, int dataBits = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baudRate, 1);
        if (stopBits is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(stopBits), stopBits, "A serial character has 1 or 2 stop bits.");
        if (dataBits is < 5 or > 8)
            throw new ArgumentOutOfRangeException(nameof(dataBits), dataBits, "A serial character has 5..8 data bits.");
        if (parity is not (SerialParity.None or SerialParity.Odd or SerialParity.Even))
            throw new ArgumentOutOfRangeException(nameof(parity), parity, "Not a serial parity.");

        int parityBits = parity == SerialParity.None ? 0 : 1;
        return new ModbusSilentInterval(baudRate, 1 + dataBits + parityBits + stopBits);
    }

    /// <summary>The time <paramref name="byteCount"/> characters take on the wire, back to back, rounded up to a tick.</summary>
    public TimeSpan WireTime(int byteCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteCount);
        return Ticks(byteCount * CharacterSeconds);
    }

    /// <summary>
    /// The most request/response transactions per second a master can complete on this line: both frames on the wire
    /// and a t3.5 silence after each, with a slave that answers at once (the ceiling a poll rate is measured against).
    /// </summary>
    public double MaxTransactionsPerSecond(int requestLength, int responseLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestLength, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(responseLength, 1);
        return 1.0 / (((requestLength + responseLength) * CharacterSeconds) + (2 * T35Seconds));
    }

    public override string ToString() => $"{BaudRate} baud, {BitsPerCharacter} bits per character, t1.5 {T15.TotalMicroseconds} µs, t3.5 {T35.TotalMicroseconds} µs";

    private static TimeSpan Ticks(double seconds) => TimeSpan.FromTicks((long)Math.Ceiling((seconds * TimeSpan.TicksPerSecond) - 1e-6));
}
