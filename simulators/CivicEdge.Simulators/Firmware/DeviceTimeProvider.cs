namespace CivicEdge.Simulators.Firmware;

/// <summary>
/// The time a virtual device lives in: a simulation moves it forward to the instants at which things happen between
/// two updates (each quarter turn of a meter's dial), so the firmware sees every event at its own time, as on a device.
/// Never goes backwards.
/// </summary>
public sealed class DeviceTimeProvider(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    /// <summary>Moves to <paramref name="at"/>, or stays if that is not later than now.</summary>
    public void MoveTo(DateTimeOffset at)
    {
        if (at.UtcTicks > Interlocked.Read(ref _ticks))
            Interlocked.Exchange(ref _ticks, at.UtcTicks);
    }
}
