using System.Globalization;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Configuration;

namespace CivicEdge.Gateway.Health;

/// <summary>
/// Judges a field device from its counters: failed when it has stopped answering, degraded when it misses polls or
/// its timeouts, damaged answers or exception responses over the window exceed their allowed share, ok otherwise.
/// Every verdict but ok comes with the reasons, in words an installer can act on. Pure.
/// </summary>
public static class VerdictRules
{
    /// <summary>Judges <paramref name="now"/> against <paramref name="baseline"/>, the same device's counters at the window's start.</summary>
    /// <param name="now">The device's counters now.</param>
    /// <param name="baseline">Its counters at the start of the window; null when the device started polling within it.</param>
    /// <param name="window">How long ago <paramref name="baseline"/> was taken (or the device started).</param>
    /// <param name="options">The thresholds.</param>
    public static (HealthVerdict Verdict, IReadOnlyList<string> Reasons) Judge(DeviceCounters now, DeviceCounters? baseline, TimeSpan window, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(now);
        ArgumentNullException.ThrowIfNull(options);
        if (now.Polls == 0)
            return (HealthVerdict.Ok, ["waiting for its first poll"]);

        var verdict = HealthVerdict.Ok;
        var reasons = new List<string>();
        var unanswered = now.ConsecutiveUnansweredPolls;
        if (unanswered >= options.FailedAfterUnansweredPolls)
        {
            verdict = HealthVerdict.Failed;
            var last = now.LastAnswer is { } at ? $"last answer at {Time(at)}" : "it has never answered";
            reasons.Add($"not answering: {unanswered} polls in a row without an answer ({last}){BackedOff(now)}");
        }
        else if (unanswered > 0)
        {
            verdict = HealthVerdict.Degraded;
            reasons.Add($"missed its last {(unanswered == 1 ? "poll" : $"{unanswered} polls")}{BackedOff(now)}");
        }

        var start = baseline is not null && baseline.Requests <= now.Requests ? baseline : null;
        var requests = now.Requests - (start?.Requests ?? 0);
        if (requests > 0)
        {
            var span = Span(window);
            var timeouts = now.Timeouts - (start?.Timeouts ?? 0);
            var linkErrors = now.TransportErrors - (start?.TransportErrors ?? 0);
            if (Exceeds(timeouts + linkErrors, requests, options.MaxTimeoutRate))
            {
                var detail = linkErrors > 0 ? $"{timeouts} timeouts and {linkErrors} link errors" : $"{timeouts} timeouts";
                reasons.Add($"{detail} in {requests} requests ({Share(timeouts + linkErrors, requests)}) over the last {span}, above the {Share(options.MaxTimeoutRate)} allowed");
                verdict = Worst(verdict, HealthVerdict.Degraded);
            }

            var crc = now.CrcErrors - (start?.CrcErrors ?? 0);
            if (Exceeds(crc, requests, options.MaxCrcErrorRate))
            {
                reasons.Add($"{crc} damaged answers (CRC or framing errors) in {requests} requests ({Share(crc, requests)}) over the last {span}, above the {Share(options.MaxCrcErrorRate)} allowed");
                verdict = Worst(verdict, HealthVerdict.Degraded);
            }

            var exceptions = now.Exceptions - (start?.Exceptions ?? 0);
            if (Exceeds(exceptions, requests, options.MaxExceptionRate))
            {
                reasons.Add($"{exceptions} exception responses in {requests} requests ({Share(exceptions, requests)}) over the last {span}: the device refuses reads its profile asks for");
                verdict = Worst(verdict, HealthVerdict.Degraded);
            }
        }

        return (verdict, reasons);
    }

    private static bool Exceeds(long count, long requests, double maxRate) => count > 0 && (double)count / requests > maxRate;

    private static HealthVerdict Worst(HealthVerdict a, HealthVerdict b) => a > b ? a : b;

    private static string BackedOff(DeviceCounters counters) =>
        counters.NextPoll is { } next ? $"; polled with back-off, next at {Time(next)}" : string.Empty;

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Share(long count, long total) => Share((double)count / total);

    private static string Share(double rate) => (rate * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    private static string Span(TimeSpan span) => span switch
    {
        { TotalHours: >= 1 } => $"{span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h",
        { TotalMinutes: >= 1 } => $"{span.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture)} min",
        _ => $"{Math.Max(1, span.TotalSeconds).ToString("0", CultureInfo.InvariantCulture)} s",
    };
}
