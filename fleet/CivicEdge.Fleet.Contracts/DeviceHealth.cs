namespace CivicEdge.Fleet.Contracts;

/// <summary>One field device in a <see cref="HealthReport"/>: its verdict, why, and its counters since it started polling.</summary>
/// <param name="DeviceId">The device's unified device code.</param>
/// <param name="Bus">The bus it is on.</param>
/// <param name="Verdict">Ok, degraded or failed.</param>
/// <param name="Reasons">Why it is not ok (or, when ok, anything worth knowing such as no poll yet), for people.</param>
/// <param name="Polls">Polls made.</param>
/// <param name="Requests">Read requests made.</param>
/// <param name="Responses">Requests answered with data.</param>
/// <param name="Timeouts">Requests that got no answer in time.</param>
/// <param name="CrcErrors">Answers that arrived damaged.</param>
/// <param name="Exceptions">Modbus exception responses.</param>
/// <param name="TransportErrors">Requests that failed because the link could not be opened or broke.</param>
/// <param name="UnansweredPolls">Polls in a row without an answer; above zero the device is polled with back-off.</param>
/// <param name="LatencyAverageMs">The mean time of answered requests; null before the first answer.</param>
/// <param name="LatencyMaxMs">The slowest answered request; null before the first answer.</param>
/// <param name="LastAnswer">When it last answered; null if never.</param>
/// <param name="NextPoll">When it is polled next; null before scheduling starts.</param>
public sealed record DeviceHealth(
    string DeviceId,
    string Bus,
    HealthVerdict Verdict,
    IReadOnlyList<string> Reasons,
    long Polls,
    long Requests,
    long Responses,
    long Timeouts,
    long CrcErrors,
    long Exceptions,
    long TransportErrors,
    long UnansweredPolls,
    double? LatencyAverageMs,
    double? LatencyMaxMs,
    DateTimeOffset? LastAnswer,
    DateTimeOffset? NextPoll);
