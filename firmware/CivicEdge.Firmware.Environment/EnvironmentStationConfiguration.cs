namespace CivicEdge.Firmware.Environment;

/// <summary>How often the station samples its sensors and over what window it reports.</summary>
public sealed class EnvironmentStationConfiguration
{
    /// <summary>How often every sensor is read.</summary>
    public int SampleIntervalMilliseconds { get; set; } = 10000;

    /// <summary>The reporting window: 10 minutes, the averaging period of WMO-No. 8 for wind and of most air-quality reports.</summary>
    public int WindowSeconds { get; set; } = 600;

    /// <summary>Reads failed in a row before a sensor is marked silent.</summary>
    public int SilentAfterFailures { get; set; } = 3;
}
