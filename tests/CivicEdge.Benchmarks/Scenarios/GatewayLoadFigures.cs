namespace CivicEdge.Benchmarks.Scenarios;

/// <summary>What one build of the gateway cost while it polled a street's worth of devices.</summary>
/// <param name="Build">Which build: framework-dependent (JIT) or Native AOT.</param>
/// <param name="Devices">How many field devices it polled.</param>
/// <param name="TargetPointsPerSecond">The poll rate the configuration asks for, in points per second.</param>
/// <param name="PointsPerSecond">The points it actually read per second, from its own poll counters.</param>
/// <param name="CpuPercent">Its CPU time over wall time, in % of one core.</param>
/// <param name="MeanResidentMegabytes">Its resident memory (VmRSS), mean of one sample a second.</param>
/// <param name="PeakResidentMegabytes">Its highest resident memory (VmHWM) by the end of the run.</param>
/// <param name="MeanAnonymousMegabytes">Its own resident memory (RssAnon, without mapped files), mean.</param>
/// <param name="Measured">How long the figures were measured, after the warm-up.</param>
/// <param name="Environment">The <c>DOTNET_*</c> variables it ran with (those of the systemd unit).</param>
internal sealed record GatewayLoadFigures(
    string Build,
    int Devices,
    double TargetPointsPerSecond,
    double PointsPerSecond,
    double CpuPercent,
    double MeanResidentMegabytes,
    double PeakResidentMegabytes,
    double MeanAnonymousMegabytes,
    TimeSpan Measured,
    IReadOnlyDictionary<string, string> Environment);
