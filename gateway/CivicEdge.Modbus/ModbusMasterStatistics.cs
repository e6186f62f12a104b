using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus;

/// <summary>
/// The counters both masters keep, and the judgement of a decoded response that both share: the two masters differ
/// only in how they frame PDUs on their link.
/// </summary>
internal sealed class ModbusMasterStatistics
{
    private long _requests;
    private long _responses;
    private long _timeouts;
    private long _exceptions;
    private long _malformed;
    private long _discarded;
    private long _transportErrors;
    private long _reconnects;
    private long _crcErrors;
    private long _bytesSkipped;
    private long _broadcasts;

    public ModbusMasterCounters Snapshot() => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _responses),
        Interlocked.Read(ref _timeouts),
        Interlocked.Read(ref _exceptions),
        Interlocked.Read(ref _malformed),
        Interlocked.Read(ref _discarded),
        Interlocked.Read(ref _transportErrors),
        Interlocked.Read(ref _reconnects),
        Interlocked.Read(ref _crcErrors),
        Interlocked.Read(ref _bytesSkipped),
        Interlocked.Read(ref _broadcasts));

    public void Requested() => Interlocked.Increment(ref _requests);

    public void TimedOut() => Interlocked.Increment(ref _timeouts);

    public void MalformedFrame() => Interlocked.Increment(ref _malformed);

    public void Discarded() => Interlocked.Increment(ref _discarded);

    public void TransportFailed() => Interlocked.Increment(ref _transportErrors);

    public void Reconnected() => Interlocked.Increment(ref _reconnects);

    public void CrcFailed()
    {
        Interlocked.Increment(ref _crcErrors);
        Interlocked.Increment(ref _malformed);
    }

    public void Skipped(int bytes) => Interlocked.Add(ref _bytesSkipped, bytes);

    public void Broadcast() => Interlocked.Increment(ref _broadcasts);

    /// <summary>
    /// Turns the decoded answer to a request into its result. The PDU's length comes from the framing (MBAP length
    /// or RTU frame), so a PDU that is longer or shorter than its function needs is malformed.
    /// </summary>
    /// <param name="response">The answer as the function's decoder read it.</param>
    /// <param name="pduLength">The PDU's length as the framing gives it.</param>
    /// <param name="problem">What was wrong, for the log; null when the answer is well-formed.</param>
    public ModbusResult Judge(in ModbusResponse response, int pduLength, out string? problem)
    {
        problem = response.Status switch
        {
            ModbusDecodeStatus.Complete when response.Length != pduLength =>
                $"expected a PDU of {response.Length} bytes, found {pduLength} as the frame announces",
            ModbusDecodeStatus.Complete => null,
            ModbusDecodeStatus.NeedMoreData =>
                $"expected a PDU of at least {response.Length} bytes, found {pduLength} as the frame announces",
            _ => $"PDU offset {response.Offset}: {response.Reason}",
        };
        if (problem is not null)
        {
            Interlocked.Increment(ref _malformed);
            return new ModbusResult(ModbusOutcome.Malformed, Detail: problem);
        }

        Interlocked.Increment(ref _responses);
        if (!response.IsException)
            return ModbusResult.Ok;
        Interlocked.Increment(ref _exceptions);
        return new ModbusResult(ModbusOutcome.Exception, response.ExceptionCode);
    }
}
