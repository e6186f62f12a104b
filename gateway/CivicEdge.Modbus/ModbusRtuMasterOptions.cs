namespace CivicEdge.Modbus;

/// <summary>How patiently a <see cref="ModbusRtuMaster"/> waits, and the pauses a serial line needs.</summary>
public sealed class ModbusRtuMasterOptions
{
    // CancellationTokenSource.CancelAfter takes at most uint.MaxValue - 1 milliseconds; int.MaxValue is a round bound below it.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    /// <summary>How long one attempt waits for its response once the request is sent; sub-second values are fine.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Further attempts after a timeout, a transport error or a malformed answer; 0 tries once.</summary>
    public int Retries { get; set; } = 1;

    /// <summary>
    /// Silence kept before every request on top of t3.5, for RS-485 adapters or slaves that need time to turn the
    /// line from sending to receiving. Zero keeps just the t3.5 the specification requires.
    /// </summary>
    public TimeSpan TurnaroundDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long the master waits after a broadcast (unit 0) before its next request, so that every slave has acted on
    /// it (MODBUS over Serial Line V1.02 §2.4.1, "turnaround delay", typically 100 to 200 ms).
    /// </summary>
    public TimeSpan BroadcastDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The line speed that sets t3.5 when the master is not given the serial line's settings, e.g. RTU over TCP,
    /// where it is the speed of the line behind the converter.
    /// </summary>
    public int BaudRate { get; set; } = 9600;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option that is out of range.</summary>
    public void Validate()
    {
        if (ResponseTimeout <= TimeSpan.Zero || ResponseTimeout > MaxTimeout)
            throw new ArgumentOutOfRangeException(nameof(ResponseTimeout), ResponseTimeout, $"{nameof(ResponseTimeout)} must be greater than zero and at most {MaxTimeout}; found {ResponseTimeout}.");
        if (Retries < 0)
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, $"{nameof(Retries)} must be 0 or more; found {Retries}.");
        if (TurnaroundDelay < TimeSpan.Zero || TurnaroundDelay > MaxTimeout)
            throw new ArgumentOutOfRangeException(nameof(TurnaroundDelay), TurnaroundDelay, $"{nameof(TurnaroundDelay)} must be 0..{MaxTimeout}; found {TurnaroundDelay}.");
        if (BroadcastDelay < TimeSpan.Zero || BroadcastDelay > MaxTimeout)
            throw new ArgumentOutOfRangeException(nameof(BroadcastDelay), BroadcastDelay, $"{nameof(BroadcastDelay)} must be 0..{MaxTimeout}; found {BroadcastDelay}.");
        if (BaudRate is < 50 or > 4_000_000)
            throw new ArgumentOutOfRangeException(nameof(BaudRate), BaudRate, $"{nameof(BaudRate)} must be 50..4000000; found {BaudRate}.");
    }
}
