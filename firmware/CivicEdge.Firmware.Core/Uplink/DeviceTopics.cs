using System;

namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>
/// The fleet's MQTT 5 topic namespace as a device uses it (the same as a gateway's: <c>civic/v1/{source}/{kind}</c>,
/// see CivicEdge.Fleet.Contracts.Topics, which a test holds these constants to). The topics of one source are built
/// once, so publishing allocates no topic strings.
/// </summary>
public sealed class DeviceTopics
{
    public const string Prefix = "civic/v1/";
    public const string TelemetrySuffix = "/telemetry";
    public const string AckSuffix = "/ack";
    public const string StateSuffix = "/state";
    public const string EventsSuffix = "/events";
    public const string HealthSuffix = "/health";
    public const string LiveSuffix = "/live";
    public const string DesiredSuffix = "/desired";
    public const string ReportedSuffix = "/reported";
    public const string CommandsSuffix = "/commands";
    public const string ResultsSuffix = "/results";

    public DeviceTopics(string sourceId)
    {
        if (!IsValidSegment(sourceId))
        {
            throw new ArgumentException("A source id must be one MQTT topic level without '/', '+', '#' or NUL (MQTT 5.0 §4.7); found '" + sourceId + "'.", "sourceId");
        }

        SourceId = sourceId;
        Telemetry = Prefix + sourceId + TelemetrySuffix;
        Ack = Prefix + sourceId + AckSuffix;
        State = Prefix + sourceId + StateSuffix;
        Events = Prefix + sourceId + EventsSuffix;
        Health = Prefix + sourceId + HealthSuffix;
        Live = Prefix + sourceId + LiveSuffix;
        Desired = Prefix + sourceId + DesiredSuffix;
        Reported = Prefix + sourceId + ReportedSuffix;
        Commands = Prefix + sourceId + CommandsSuffix;
        Results = Prefix + sourceId + ResultsSuffix;
    }

    public string SourceId { get; }

    /// <summary>Device → fleet, QoS 1: telemetry batches.</summary>
    public string Telemetry { get; }

    /// <summary>Fleet → device, QoS 1: delivery acknowledgements, sent once the fleet persisted a batch.</summary>
    public string Ack { get; }

    /// <summary>Device → fleet, QoS 1, retained: birth, and death through the last will.</summary>
    public string State { get; }

    /// <summary>Device → fleet, QoS 1: event batches (alarms raised and cleared).</summary>
    public string Events { get; }

    /// <summary>Device → fleet, QoS 1, retained: the device's health report.</summary>
    public string Health { get; }

    /// <summary>Device → fleet, QoS 0: newest values, not numbered nor acknowledged.</summary>
    public string Live { get; }

    /// <summary>Fleet → device, QoS 1, retained: the twin's desired state.</summary>
    public string Desired { get; }

    /// <summary>Device → fleet, QoS 1, retained: the twin's reported state.</summary>
    public string Reported { get; }

    /// <summary>Fleet → device, QoS 1: commands, with a response topic and correlation data.</summary>
    public string Commands { get; }

    /// <summary>Device → fleet, QoS 1: command results, the response topic of every command.</summary>
    public string Results { get; }

    /// <summary>A source id becomes one topic level: no separators, wildcards or NUL (MQTT 5.0 §4.7).</summary>
    public static bool IsValidSegment(string value)
    {
        if (value == null || value.Length == 0)
        {
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '/' || c == '+' || c == '#' || c == '\0')
            {
                return false;
            }
        }

        return true;
    }
}
