namespace CivicEdge.Gateway.Acquisition;

/// <summary>What one poll of a device has to say: readings of the points worth reporting, and alarm events.</summary>
/// <param name="Readings">At most one telemetry and one billing reading; empty when nothing is worth reporting.</param>
/// <param name="Events">Alarms raised and cleared by the poll.</param>
public sealed record DeviceReport(IReadOnlyList<DeviceReading> Readings, IReadOnlyList<DeviceEvent> Events)
{
    /// <summary>A poll with nothing to report.</summary>
    public static DeviceReport Empty { get; } = new([], []);
}
