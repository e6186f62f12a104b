using System;

namespace CivicEdge.Firmware.Core.Uplink;

/// <summary>
/// Who the device is to the fleet and how much RAM its uplink may take. Identity and credentials come from the ledger
/// (the device's unified device code and the password credential issued for it at provisioning).
/// </summary>
public sealed class UplinkOptions
{
    public UplinkOptions(string sourceId, string userName, string password, string softwareVersion)
    {
        SourceId = sourceId;
        UserName = userName;
        Password = password;
        SoftwareVersion = softwareVersion;
        Model = null;
        // About 13 KB in all, allocated once: what an ESP32's 80 KB managed heap can spare beside an app. A board with
        // PSRAM rides out longer outages with larger rings.
        TelemetryBytes = 4096;
        TelemetryRecords = 64;
        BillingBytes = 1024;
        BillingRecords = 16;
        EventBytes = 2048;
        EventRecords = 32;
        RecordBytes = 512;
        MessageBytes = 2048;
        InboundBytes = 4096;
        InboundSlots = 4;
        MaxSettings = 16;
        AckTimeoutMilliseconds = 30000;
        CheckpointIntervalMilliseconds = 300000;
        HealthIntervalMilliseconds = 60000;
        ReconnectMinMilliseconds = 1000;
        ReconnectMaxMilliseconds = 60000;
    }

    /// <summary>The device's unified device code: its topic level and MQTT client id.</summary>
    public string SourceId { get; }

    /// <summary>The user name of the device's broker credential (its device code, as the fleet's broker expects).</summary>
    public string UserName { get; }

    /// <summary>The password credential issued for the device at provisioning.</summary>
    public string Password { get; }

    /// <summary>The firmware's version, in the birth message, health and reported state.</summary>
    public string SoftwareVersion { get; }

    /// <summary>The hardware profile model of the device's own readings (e.g. <c>civicedge-pole</c>); null when it has none.</summary>
    public string Model { get; set; }

    public int TelemetryBytes { get; set; }

    public int TelemetryRecords { get; set; }

    public int BillingBytes { get; set; }

    public int BillingRecords { get; set; }

    public int EventBytes { get; set; }

    public int EventRecords { get; set; }

    /// <summary>The largest encoded record (one reading with its points, or one event).</summary>
    public int RecordBytes { get; set; }

    /// <summary>The largest message published (a batch, the health report, the reported state).</summary>
    public int MessageBytes { get; set; }

    /// <summary>The largest message the uplink reads (desired state, command, acknowledgement); larger ones are counted and dropped.</summary>
    public int InboundBytes { get; set; }

    /// <summary>Received messages that may wait for the main loop (each holds the array the link received it in).</summary>
    public int InboundSlots { get; set; }

    /// <summary>The most settings in a desired configuration and arguments in a command.</summary>
    public int MaxSettings { get; set; }

    /// <summary>How long a batch waits for the fleet's acknowledgement before it is sent again.</summary>
    public int AckTimeoutMilliseconds { get; set; }

    /// <summary>How often telemetry waiting in RAM is checkpointed to flash (events are checkpointed as they happen).</summary>
    public int CheckpointIntervalMilliseconds { get; set; }

    public int HealthIntervalMilliseconds { get; set; }

    /// <summary>The first wait after a failed connection; each failure doubles it up to <see cref="ReconnectMaxMilliseconds"/>.</summary>
    public int ReconnectMinMilliseconds { get; set; }

    public int ReconnectMaxMilliseconds { get; set; }

    /// <summary>Throws naming the first setting that cannot work.</summary>
    public void Validate()
    {
        if (!DeviceTopics.IsValidSegment(SourceId))
        {
            throw new ArgumentException("SourceId: expected a unified device code that is one MQTT topic level, found '" + SourceId + "'.");
        }

        Require(UserName != null && UserName.Length > 0, "UserName", "the device's broker user name", "none");
        Require(Password != null && Password.Length > 0, "Password", "the device's password credential", "none");
        Require(SoftwareVersion != null && SoftwareVersion.Length > 0, "SoftwareVersion", "the firmware version", "none");
        Require(RecordBytes >= 128, "RecordBytes", "at least 128", RecordBytes.ToString());
        Require(MessageBytes >= RecordBytes + 256, "MessageBytes", "at least RecordBytes + 256 (" + (RecordBytes + 256).ToString() + ")", MessageBytes.ToString());
        Require(TelemetryBytes >= RecordBytes, "TelemetryBytes", "at least RecordBytes (" + RecordBytes.ToString() + ")", TelemetryBytes.ToString());
        Require(BillingBytes >= RecordBytes, "BillingBytes", "at least RecordBytes (" + RecordBytes.ToString() + ")", BillingBytes.ToString());
        Require(EventBytes >= RecordBytes, "EventBytes", "at least RecordBytes (" + RecordBytes.ToString() + ")", EventBytes.ToString());
        Require(InboundBytes >= 256, "InboundBytes", "at least 256", InboundBytes.ToString());
        Require(InboundSlots >= 1, "InboundSlots", "at least 1", InboundSlots.ToString());
        Require(AckTimeoutMilliseconds > 0, "AckTimeoutMilliseconds", "more than 0", AckTimeoutMilliseconds.ToString());
        Require(ReconnectMinMilliseconds > 0 && ReconnectMaxMilliseconds >= ReconnectMinMilliseconds, "ReconnectMaxMilliseconds", "at least ReconnectMinMilliseconds, both above 0", ReconnectMaxMilliseconds.ToString());
    }

    private static void Require(bool condition, string key, string expected, string found)
    {
        if (!condition)
        {
            throw new ArgumentException(key + ": expected " + expected + ", found " + found + ".");
        }
    }
}
