namespace CivicEdge.Transports;

/// <summary>How a <see cref="SerialChannel"/> reaches its line: the device path and the character format.</summary>
public sealed class SerialChannelOptions
{
    /// <summary>The serial device, e.g. <c>/dev/ttyS1</c>, <c>/dev/ttyUSB0</c> or a pty link made by socat.</summary>
    public string Path { get; set; } = "";

    /// <summary>Bits per second.</summary>
    public int BaudRate { get; set; } = 9600;

    /// <summary>Data bits per character: 8 for Modbus RTU (§2.5.1), 7 for Modbus ASCII.</summary>
    public int DataBits { get; set; } = 8;

    /// <summary>Parity bit; even by default as the Modbus serial line specification asks (§2.5.1).</summary>
    public SerialParity Parity { get; set; } = SerialParity.Even;

    /// <summary>Stop bits per character: 1 or 2.</summary>
    public int StopBits { get; set; } = 1;

    /// <summary>
    /// The longest one receive or send may take before the line counts as broken. Protocols wait for answers with
    /// their own, shorter timeouts; this bounds a line that hangs, e.g. an adapter unplugged mid-write.
    /// </summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bits on the wire per character: start bit, data bits, parity bit if any, stop bits.</summary>
    public int BitsPerCharacter => 1 + DataBits + (Parity == SerialParity.None ? 0 : 1) + StopBits;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
            throw new ArgumentException($"{nameof(Path)} must name the serial device, e.g. /dev/ttyUSB0; found \"{Path}\".", nameof(Path));
        if (BaudRate is < 50 or > 4_000_000)
            throw new ArgumentOutOfRangeException(nameof(BaudRate), BaudRate, $"{nameof(BaudRate)} must be 50..4000000; found {BaudRate}.");
        if (DataBits is < 5 or > 8)
            throw new ArgumentOutOfRangeException(nameof(DataBits), DataBits, $"{nameof(DataBits)} must be 5..8; found {DataBits}.");
        if (!Enum.IsDefined(Parity))
            throw new ArgumentOutOfRangeException(nameof(Parity), Parity, $"{nameof(Parity)} must be None, Even or Odd; found {Parity}.");
        if (StopBits is not (1 or 2))
            throw new ArgumentOutOfRangeException(nameof(StopBits), StopBits, $"{nameof(StopBits)} must be 1 or 2; found {StopBits}.");

        // CancellationTokenSource.CancelAfter takes at most uint.MaxValue - 1 milliseconds; int.MaxValue is a round bound below it.
        if (ReadTimeout <= TimeSpan.Zero || ReadTimeout > TimeSpan.FromMilliseconds(int.MaxValue))
            throw new ArgumentOutOfRangeException(nameof(ReadTimeout), ReadTimeout, $"{nameof(ReadTimeout)} must be greater than zero and at most {TimeSpan.FromMilliseconds(int.MaxValue)}; found {ReadTimeout}.");
    }

    public override string ToString() =>
        $"{Path} {BaudRate} {DataBits}{Parity switch { SerialParity.Even => 'E', SerialParity.Odd => 'O', _ => 'N' }}{StopBits}";
}
