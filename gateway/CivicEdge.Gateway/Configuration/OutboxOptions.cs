namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// The <c>Gateway:Outbox</c> section: how much the outbox may hold before it makes room by dropping the oldest routine
/// telemetry (then billing readings, events last), and how the writer rides out a disk that refuses writes.
/// </summary>
/// <remarks>
/// The defaults suit an ARM box with a few GB of flash: 2 million readings of ~10 points or 1 GiB, whichever comes first,
/// is roughly three weeks of 50 devices read every minute.
/// </remarks>
public sealed class OutboxOptions
{
    public const string SectionName = "Gateway:Outbox";

    /// <summary>The most records the outbox holds across all streams.</summary>
    public int MaxRecords { get; set; } = 2_000_000;

    /// <summary>The most megabytes (MiB) the records may take, estimated from their encoded size.</summary>
    public int MaxMegabytes { get; set; } = 1024;

    /// <summary>
    /// How many readings and events the writer keeps in memory while the disk refuses writes (full or failing), besides
    /// the commit it is retrying; beyond that the oldest routine telemetry is dropped first, and counted.
    /// </summary>
    public int MemoryQueueCapacity { get; set; } = 100_000;

    /// <summary>
    /// While the outbox stays full, how often the records dropped so far are reported to the fleet as an
    /// <c>outbox_overflow</c> event; the rest of an episode is reported when the outbox has room again.
    /// </summary>
    public TimeSpan OverflowReportInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The first wait before writing again after the disk refused a write; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between write attempts while the disk refuses writes.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><see cref="MaxMegabytes"/> in bytes.</summary>
    public long MaxBytes => MaxMegabytes * 1024L * 1024L;
}
