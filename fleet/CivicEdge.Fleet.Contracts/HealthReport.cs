namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// A gateway's own health, retained on <see cref="Topics.Health"/> at a fixed interval and served by the gateway's
/// local <c>GET /status</c>: the process, its disk, its outbox, its uplink and a verdict per field device.
/// </summary>
/// <param name="SourceId">The gateway's unified device code.</param>
/// <param name="SoftwareVersion">The gateway software's version.</param>
/// <param name="Timestamp">When the report was made (UTC).</param>
/// <param name="UptimeSeconds">How long the gateway has been running.</param>
/// <param name="Origin">Where its running buses and devices come from.</param>
/// <param name="AppliedVersion">The desired version running; null while the local file applies.</param>
/// <param name="Process">CPU and memory.</param>
/// <param name="Disk">Free space where the database lives.</param>
/// <param name="Outbox">Every stream of the outbox.</param>
/// <param name="Uplink">The link to the fleet.</param>
/// <param name="Devices">Every field device polled, in configuration order.</param>
public sealed record HealthReport(
    string SourceId,
    string SoftwareVersion,
    DateTimeOffset Timestamp,
    double UptimeSeconds,
    ConfigurationOrigin Origin,
    long? AppliedVersion,
    ProcessHealth Process,
    DiskHealth Disk,
    IReadOnlyList<OutboxHealth> Outbox,
    UplinkHealth Uplink,
    IReadOnlyList<DeviceHealth> Devices);
