namespace CivicEdge.Modbus;

/// <summary>What a master has seen on its link since it was created: a snapshot, for health reports and metrics.</summary>
/// <param name="Requests">Requests sent, each retry and broadcast included.</param>
/// <param name="Responses">Well-formed answers to a request sent, exception responses included.</param>
/// <param name="Timeouts">Attempts that got no answer within the response timeout.</param>
/// <param name="Exceptions">Exception responses.</param>
/// <param name="Malformed">Frames or answers that could not be parsed or did not fit the request, CRC errors included.</param>
/// <param name="Discarded">Well-formed frames for another transaction or unit, e.g. an answer that came after its timeout.</param>
/// <param name="TransportErrors">Attempts that failed because the link could not be opened or broke.</param>
/// <param name="Reconnects">Links opened again after an earlier one was dropped.</param>
/// <param name="CrcErrors">Serial attempts that ended with a frame whose CRC did not match and no good answer after it.</param>
/// <param name="BytesSkipped">Bytes thrown away on a serial line: garbage before an answer, stray bytes before a request.</param>
/// <param name="Broadcasts">Writes sent to unit 0, which no slave answers.</param>
public sealed record ModbusMasterCounters(
    long Requests,
    long Responses,
    long Timeouts,
    long Exceptions,
    long Malformed,
    long Discarded,
    long TransportErrors,
    long Reconnects,
    long CrcErrors = 0,
    long BytesSkipped = 0,
    long Broadcasts = 0);
