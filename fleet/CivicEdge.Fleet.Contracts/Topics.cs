namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// The MQTT 5 topic namespace shared by gateways, IP-connected devices and the fleet.
/// Every topic starts with <c>civic/v1/{sourceId}/</c> where <c>sourceId</c> is the unified device code of the
/// publishing gateway or device; a per-device ACL can therefore be written as one prefix.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term><c>civic/v1/{source}/telemetry</c></term><description>source → fleet, QoS 1: a <see cref="TelemetryBatch"/>.</description></item>
/// <item><term><c>civic/v1/{source}/ack</c></term><description>fleet → source, QoS 1: a <see cref="DeliveryAck"/>, sent only after the batch is persisted.</description></item>
/// <item><term><c>civic/v1/{source}/events</c></term><description>source → fleet, QoS 1: an <see cref="EventBatch"/> (alarms raised and cleared), acknowledged like telemetry.</description></item>
/// <item><term><c>civic/v1/{source}/state</c></term><description>source → fleet, QoS 1, retained: a <see cref="SourceState"/>; the last will publishes the offline state.</description></item>
/// <item><term><c>civic/v1/{source}/health</c></term><description>source → fleet, QoS 1, retained: the source's own health report.</description></item>
/// <item><term><c>civic/v1/{source}/live</c></term><description>source → fleet, QoS 0: the newest values while older records are still being delivered; not numbered, not stored, never acknowledged.</description></item>
/// <item><term><c>civic/v1/{source}/desired</c></term><description>fleet → source, QoS 1, retained: the twin's desired state (configuration, profiles, rules) with its version.</description></item>
/// <item><term><c>civic/v1/{source}/reported</c></term><description>source → fleet, QoS 1, retained: the twin's reported state, saying which desired version is applied or why it was refused.</description></item>
/// <item><term><c>civic/v1/{source}/commands</c></term><description>fleet → source, QoS 1, not retained: a <see cref="CivicEdge.Fleet.Contracts.Commands.CommandRequest"/> for the source or a device behind it, with the MQTT 5 response topic <c>civic/v1/{source}/results</c> and the command id as correlation data.</description></item>
/// <item><term><c>civic/v1/{source}/results</c></term><description>source → fleet, QoS 1: a <see cref="CivicEdge.Fleet.Contracts.Commands.CommandResult"/>, echoing the request's correlation data.</description></item>
/// <item><term><c>civic/v1/{source}/ota</c></term><description>fleet → source, QoS 1, not retained: an <see cref="CivicEdge.Fleet.Contracts.Ota.OtaOffer"/> for the source or a device behind it, re-sent until the target reports.</description></item>
/// <item><term><c>civic/v1/{source}/ota-status</c></term><description>source → fleet, QoS 1: an <see cref="CivicEdge.Fleet.Contracts.Ota.OtaStatusReport"/>, numbered per offer so that a repeat is harmless.</description></item>
/// </list>
/// </remarks>
public static class Topics
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
    public const string OtaSuffix = "/ota";
    public const string OtaStatusSuffix = "/ota-status";

    /// <summary>The filter the fleet subscribes with to receive telemetry from every source.</summary>
    public const string AllTelemetry = Prefix + "+" + TelemetrySuffix;

    /// <summary>The filter the fleet subscribes with to receive birth and death of every source.</summary>
    public const string AllStates = Prefix + "+" + StateSuffix;

    /// <summary>The filter the fleet subscribes with to receive the events of every source.</summary>
    public const string AllEvents = Prefix + "+" + EventsSuffix;

    /// <summary>The filter the fleet subscribes with to receive the health reports of every source.</summary>
    public const string AllHealth = Prefix + "+" + HealthSuffix;

    /// <summary>The filter the fleet subscribes with to receive the live values of every source.</summary>
    public const string AllLive = Prefix + "+" + LiveSuffix;

    /// <summary>The filter the fleet subscribes with to receive the reported twin state of every source.</summary>
    public const string AllReported = Prefix + "+" + ReportedSuffix;

    /// <summary>The filter the fleet subscribes with to receive command results from every source.</summary>
    public const string AllResults = Prefix + "+" + ResultsSuffix;

    /// <summary>The filter the fleet subscribes with to receive OTA status reports from every source.</summary>
    public const string AllOtaStatus = Prefix + "+" + OtaStatusSuffix;

    public static string Telemetry(string sourceId) => Prefix + RequireSegment(sourceId) + TelemetrySuffix;

    public static string Events(string sourceId) => Prefix + RequireSegment(sourceId) + EventsSuffix;

    public static string Health(string sourceId) => Prefix + RequireSegment(sourceId) + HealthSuffix;

    public static string Live(string sourceId) => Prefix + RequireSegment(sourceId) + LiveSuffix;

    public static string Desired(string sourceId) => Prefix + RequireSegment(sourceId) + DesiredSuffix;

    public static string Reported(string sourceId) => Prefix + RequireSegment(sourceId) + ReportedSuffix;

    /// <summary>Where the fleet sends commands for <paramref name="sourceId"/> and the devices behind it.</summary>
    public static string Commands(string sourceId) => Prefix + RequireSegment(sourceId) + CommandsSuffix;

    /// <summary>Where <paramref name="sourceId"/> answers commands: the response topic the fleet names in each request.</summary>
    public static string Results(string sourceId) => Prefix + RequireSegment(sourceId) + ResultsSuffix;

    /// <summary>Where the fleet offers updates to <paramref name="sourceId"/> and the devices behind it.</summary>
    public static string Ota(string sourceId) => Prefix + RequireSegment(sourceId) + OtaSuffix;

    /// <summary>Where <paramref name="sourceId"/> reports how the updates offered to it and its devices stand.</summary>
    public static string OtaStatus(string sourceId) => Prefix + RequireSegment(sourceId) + OtaStatusSuffix;

    public static string Ack(string sourceId) => Prefix + RequireSegment(sourceId) + AckSuffix;

    public static string State(string sourceId) => Prefix + RequireSegment(sourceId) + StateSuffix;

    /// <summary>Splits <c>civic/v1/{source}/{kind}</c>; false for any topic outside the namespace.</summary>
    public static bool TryParse(string topic, out string sourceId, out string kind)
    {
        sourceId = string.Empty;
        kind = string.Empty;
        if (!topic.StartsWith(Prefix, StringComparison.Ordinal))
            return false;

        var rest = topic.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1 || rest[(slash + 1)..].Contains('/'))
            return false;

        sourceId = rest[..slash].ToString();
        kind = rest[(slash + 1)..].ToString();
        return true;
    }

    /// <summary>
    /// A source id becomes one topic level, so it must not contain MQTT separators or wildcards (MQTT 5.0 §4.7).
    /// </summary>
    public static bool IsValidSegment(string value) =>
        !string.IsNullOrEmpty(value) && value.AsSpan().IndexOfAny('/', '+', '#') < 0 && !value.Contains('\0');

    private static string RequireSegment(string sourceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceId);
        if (!IsValidSegment(sourceId))
            throw new ArgumentException($"A source id must be one MQTT topic level without '/', '+' or '#'; got '{sourceId}'.", nameof(sourceId));
        return sourceId;
    }
}
