using System.Net;
using CivicEdge.Fleet.Core;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server;

/// <summary>
/// Checks the fleet's configuration at start-up, so that a bad value stops the process at once with a message naming
/// the key, what was expected and what was found.
/// </summary>
internal sealed class FleetOptionsValidator :
    IValidateOptions<FleetHttpOptions>,
    IValidateOptions<BrokerOptions>,
    IValidateOptions<TelemetryIngestOptions>
{
    public const string IngestSection = "Fleet:Ingest";

    /// <summary>
    /// An event's key in the embedded store holds two names (device and source) and 40 bytes of separators and
    /// numbers; at 3 UTF-8 bytes per character they must stay within LiteDB's 1023-byte index keys.
    /// </summary>
    private const int MaxStorableNameLength = 150;

    private const int MaxIngestConcurrency = 256;

    public ValidateOptionsResult Validate(string? name, FleetHttpOptions options)
    {
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            failures.Add(
                $"{FleetHttpOptions.Section}:Url: expected an absolute http:// or https:// URL such as http://127.0.0.1:5080, found '{options.Url}'");
        }

        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, BrokerOptions options)
    {
        const string at = BrokerOptions.Section;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host))
            failures.Add($"{at}:Host: expected a host name or IP address, found '{options.Host}'");
        if (options.Port is < 1 or > 65535)
            failures.Add($"{at}:Port: expected a TCP port from 1 to 65535, found {options.Port}");
        if (!IPAddress.TryParse(options.BindAddress, out _))
            failures.Add($"{at}:BindAddress: expected an IPv4 or IPv6 address such as 127.0.0.1 or 0.0.0.0, found '{options.BindAddress}'");
        if (!IsTopicFilter(options.TelemetrySubscription))
            failures.Add($"{at}:TelemetrySubscription: expected an MQTT topic filter such as civic/v1/+/telemetry, found '{options.TelemetrySubscription}'");
        if (!IsTopicFilter(options.StateSubscription))
            failures.Add($"{at}:StateSubscription: expected an MQTT topic filter such as civic/v1/+/state, found '{options.StateSubscription}'");
        if (!IsTopicFilter(options.ReportedSubscription))
            failures.Add($"{at}:ReportedSubscription: expected an MQTT topic filter such as civic/v1/+/reported, found '{options.ReportedSubscription}'");
        if (!IsTopicFilter(options.HealthSubscription))
            failures.Add($"{at}:HealthSubscription: expected an MQTT topic filter such as civic/v1/+/health, found '{options.HealthSubscription}'");
        if (!IsTopicFilter(options.EventsSubscription))
            failures.Add($"{at}:EventsSubscription: expected an MQTT topic filter such as civic/v1/+/events, found '{options.EventsSubscription}'");
        if (!IsTopicFilter(options.LiveSubscription))
            failures.Add($"{at}:LiveSubscription: expected an MQTT topic filter such as civic/v1/+/live, found '{options.LiveSubscription}'");
        if (options.ReconnectDelay <= TimeSpan.Zero)
            failures.Add($"{at}:ReconnectDelay: expected a positive duration such as 00:00:01, found {options.ReconnectDelay}");
        if (options.MaxReconnectDelay < options.ReconnectDelay)
            failures.Add($"{at}:MaxReconnectDelay: expected at least ReconnectDelay ({options.ReconnectDelay}), found {options.MaxReconnectDelay}");

        return Result(failures);
    }

    public ValidateOptionsResult Validate(string? name, TelemetryIngestOptions options)
    {
        var failures = new List<string>();
        if (options.MaxRecordsPerBatch < 1)
            failures.Add($"{IngestSection}:MaxRecordsPerBatch: expected at least 1, found {options.MaxRecordsPerBatch}");
        if (options.MaxPointsPerRecord < 1)
            failures.Add($"{IngestSection}:MaxPointsPerRecord: expected at least 1, found {options.MaxPointsPerRecord}");
        if (options.MaxNameLength is < 1 or > MaxStorableNameLength)
            failures.Add($"{IngestSection}:MaxNameLength: expected 1 to {MaxStorableNameLength}, found {options.MaxNameLength}");
        if (options.Concurrency is < 1 or > MaxIngestConcurrency)
            failures.Add($"{IngestSection}:Concurrency: expected 1 to {MaxIngestConcurrency} sources ingested at once, found {options.Concurrency}");

        return Result(failures);
    }

    /// <summary>MQTT 5.0 §4.7.1: '#' only as the whole last level, '+' only as a whole level.</summary>
    private static bool IsTopicFilter(string? filter)
    {
        if (string.IsNullOrEmpty(filter) || filter.Contains('\0', StringComparison.Ordinal))
            return false;

        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#', StringComparison.Ordinal) && (level != "#" || i != levels.Length - 1))
                return false;
            if (level.Contains('+', StringComparison.Ordinal) && level != "+")
                return false;
        }

        return true;
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
