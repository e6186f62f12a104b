namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>How fast commands go from the REST API to a gateway and back.</summary>
/// <param name="RoundTrips">Single-device commands sent one after another, each waited for.</param>
/// <param name="RoundTripP50Milliseconds">Median time from POST to the answer holding the result.</param>
/// <param name="RoundTripP99Milliseconds">99th percentile of the same.</param>
/// <param name="FanOutTargets">Devices one query-targeted command reached.</param>
/// <param name="FanOutSeconds">From POST until every one of them had its result.</param>
internal sealed record CommandFigures(
    int RoundTrips,
    double RoundTripP50Milliseconds,
    double RoundTripP99Milliseconds,
    int FanOutTargets,
    double FanOutSeconds)
{
    public double FanOutPerSecond => FanOutTargets / FanOutSeconds;
}
