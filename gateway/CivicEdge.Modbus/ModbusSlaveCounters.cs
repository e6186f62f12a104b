namespace CivicEdge.Modbus;

/// <summary>
/// What a serial-line slave saw on its bus, so that nothing it threw away goes unnoticed. Thread-safe; read at any time.
/// </summary>
public sealed class ModbusSlaveCounters
{
    private long _requests;
    private long _broadcasts;
    private long _forOtherUnits;
    private long _crcErrors;
    private long _skippedBytes;

    /// <summary>Requests addressed to one of this slave's units (answered or, by an injected fault, not).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Broadcast requests (unit 0) seen; writes among them were applied to every unit.</summary>
    public long Broadcasts => Interlocked.Read(ref _broadcasts);

    /// <summary>Sound frames addressed to units this slave does not serve, which it left unanswered.</summary>
    public long ForOtherUnits => Interlocked.Read(ref _forOtherUnits);

    /// <summary>Frames whose CRC did not match (MODBUS over Serial Line V1.02 §2.5.1.2), ignored as the spec asks.</summary>
    public long CrcErrors => Interlocked.Read(ref _crcErrors);

    /// <summary>Bytes thrown away because no frame could be made of them: noise, truncated frames, garbage.</summary>
    public long SkippedBytes => Interlocked.Read(ref _skippedBytes);

    public override string ToString() =>
        $"{Requests} requests, {Broadcasts} broadcasts, {ForOtherUnits} for other units, {CrcErrors} CRC errors, {SkippedBytes} bytes skipped";

    internal void CountRequest() => Interlocked.Increment(ref _requests);

    internal void CountBroadcast() => Interlocked.Increment(ref _broadcasts);

    internal void CountForOtherUnit() => Interlocked.Increment(ref _forOtherUnits);

    internal void CountCrcError() => Interlocked.Increment(ref _crcErrors);

    internal void CountSkipped(int bytes) => Interlocked.Add(ref _skippedBytes, bytes);
}
