namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// What the gateway has seen of one device since start: a snapshot for health reports and metrics. Each request is
/// one master transaction (the master's own retries inside it are not counted again).
/// </summary>
/// <param name="DeviceId">The device's unified device code.</param>
/// <param name="BusId">The bus the device is on.</param>
/// <param name="Healthy">False while the device is not answering (its last poll got no answer).</param>
/// <param name="Polls">Polls made.</param>
/// <param name="Requests">Read requests made.</param>
/// <param name="Responses">Requests answered with data.</param>
/// <param name="Timeouts">Requests that got no answer in time.</param>
/// <param name="CrcErrors">Answers that arrived damaged: a bad CRC, or a frame that did not fit the request.</param>
/// <param name="Exceptions">Exception responses.</param>
/// <param name="TransportErrors">Requests that failed because the link could not be opened or broke.</param>
/// <param name="ConsecutiveUnansweredPolls">Polls in a row that got no answer; the back-off grows with it.</param>
/// <param name="LatencyMin">The quickest answered request; null before the first answer.</param>
/// <param name="LatencyAverage">The mean time of answered requests; null before the first answer.</param>
/// <param name="LatencyMax">The slowest answered request; null before the first answer.</param>
/// <param name="LastAnswer">When the device last answered; null if it never has.</param>
/// <param name="NextPoll">When the scheduler means to poll it next; null before scheduling starts.</param>
public sealed record DeviceCounters(
    string DeviceId,
    string BusId,
    bool Healthy,
    long Polls,
    long Requests,
    long Responses,
    long Timeouts,
    long CrcErrors,
    long Exceptions,
    long TransportErrors,
    long ConsecutiveUnansweredPolls,
    TimeSpan? LatencyMin,
    TimeSpan? LatencyAverage,
    TimeSpan? LatencyMax,
    DateTimeOffset? LastAnswer,
    DateTimeOffset? NextPoll);
