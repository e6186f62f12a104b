namespace CivicEdge.Modbus;

/// <summary>What a master has seen on its link since it was created: a snapshot, for health reports and metrics.</summary>
/// <param name="Requests">Requests sent, each retry included.</param>
/// <param name="Responses">Well-formed answers to a request sent, exception responses included.</param>
/// <param name="Timeouts">Attempts that got no answer within the response timeout.</param>
/// <param name="Exceptions">Exception responses.</param>
/// <param name="Malformed">Frames or answers that could not be parsed or did not fit the request.</param>
/// <param name="Discarded">Well-formed frames for another transaction or unit, e.g. an answer that came after its timeout.</param>
/// <param name="TransportErrors">Attempts that failed because the link could not be opened or broke.</param>
/// <param name="Reconnects">Links opened again after an earlier one was dropped.</param>
public sealed record ModbusMasterCounters(
    long Requests,
    long Responses,
    long Timeouts,
    long Exceptions,
    long Malformed,
    long Discarded,
    long TransportErrors,
    long Reconnects);
