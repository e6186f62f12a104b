using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Alarms;
using Microsoft.Extensions.Logging;

namespace CivicEdge.Fleet.Core.Alarms;

/// <summary>
/// Turns the events sources deliver into alarms: a raised event raises (or repeats) the alarm of its device and code, a
/// cleared event clears it. Events that merely occurred are kept as events, not alarms. An event whose code starts
/// with <see cref="RulePrefix"/> came from an edge rule; every other one from the device or its gateway.
/// </summary>
/// <remarks>
/// It runs after the events are persisted and acknowledged-to-be, so a failure here cannot be made good by the source
/// sending again (the events would be duplicates): it is logged and counted in <see cref="Failed"/> instead.
/// </remarks>
public sealed partial class AlarmFeed(AlarmBook book, ILogger<AlarmFeed> logger)
{
    /// <summary>The code prefix of events an edge rule raised, e.g. <c>rule.pipe_pressure_drop</c>.</summary>
    public const string RulePrefix = "rule.";

    private long _failed;
    private long _clearsWithoutAlarm;

    /// <summary>Events that could not be turned into an alarm change since start.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Cleared events for which no alarm was open (already cleared by hand, or raised before alarms were kept).</summary>
    public long ClearsWithoutAlarm => Interlocked.Read(ref _clearsWithoutAlarm);

    /// <summary>Applies newly stored events, in order.</summary>
    public async Task ApplyAsync(IReadOnlyList<EventRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            try
            {
                switch (record.State)
                {
                    case EventState.Raised:
                        await book.RaiseAsync(
                            new AlarmRaise(record.DeviceId, record.Code, record.Severity, SourceOf(record.Code), record.Message, record.Timestamp),
                            cancellationToken).ConfigureAwait(false);
                        break;
                    case EventState.Cleared:
                        if (await book.ClearConditionAsync(record.DeviceId, record.Code, AlarmBook.DeviceActor, record.Timestamp, record.Message, cancellationToken).ConfigureAwait(false) is null)
                            Interlocked.Increment(ref _clearsWithoutAlarm);
                        break;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Interlocked.Increment(ref _failed);
                LogFailed(logger, record.DeviceId, record.Code, record.State.ToString(), exception);
            }
        }
    }

    /// <summary>Edge rule or device, by the event's code.</summary>
    public static AlarmSource SourceOf(string code) =>
        code.StartsWith(RulePrefix, StringComparison.Ordinal) ? AlarmSource.Rule : AlarmSource.Device;

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {Code} ({State}) of {DeviceId} was stored but its alarm could not be updated")]
    private static partial void LogFailed(ILogger logger, string deviceId, string code, string state, Exception exception);
}
