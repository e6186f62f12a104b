using CivicEdge.Fleet.Core;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// Removes telemetry and events older than <c>Fleet:Retention</c> says, every <see cref="RetentionOptions.Interval"/>,
/// on the one node that leads the <c>retention</c> job. On PostgreSQL whole days of telemetry go at once.
/// </summary>
internal sealed partial class RetentionService(
    ITelemetryHistory history,
    ILeaderElection election,
    IOptions<RetentionOptions> options,
    TimeProvider timeProvider,
    ILogger<RetentionService> logger) : LeaderService(election, timeProvider, logger)
{
    public const string JobName = "retention";

    private readonly RetentionOptions _options = options.Value;

    protected override string Job => JobName;

    protected override bool IsEnabled => _options.TelemetryPeriod is not null || _options.EventsPeriod is not null;

    protected override async Task LeadAsync(CancellationToken leading)
    {
        while (true)
        {
            await PurgeAsync(leading).ConfigureAwait(false);
            await Task.Delay(_options.IntervalPeriod, TimeProvider, leading).ConfigureAwait(false);
        }
    }

    /// <summary>One pass: removes everything that has expired by now.</summary>
    internal async Task PurgeAsync(CancellationToken cancellationToken)
    {
        var now = TimeProvider.GetUtcNow();
        if (_options.TelemetryPeriod is { } telemetry)
        {
            var removed = await history.DeleteTelemetryBeforeAsync(now - telemetry, cancellationToken).ConfigureAwait(false);
            if (removed > 0)
                LogPurged(logger, "telemetry samples", removed, now - telemetry);
        }

        if (_options.EventsPeriod is { } events)
        {
            var removed = await history.DeleteEventsBeforeAsync(now - events, cancellationToken).ConfigureAwait(false);
            if (removed > 0)
                LogPurged(logger, "events", removed, now - events);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention: removed {Removed} {What} from before {Cutoff:O}")]
    private static partial void LogPurged(ILogger logger, string what, long removed, DateTimeOffset cutoff);
}
