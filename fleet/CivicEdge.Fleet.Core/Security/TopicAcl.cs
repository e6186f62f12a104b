using CivicEdge.Fleet.Contracts;

namespace CivicEdge.Fleet.Core.Security;

/// <summary>
/// The per-device topic ACL over the MQTT contract (<see cref="Topics"/>): a device publishes only the source → fleet
/// kinds under <c>civic/v1/{its code}/</c> and subscribes only to filters under that prefix; a gateway may do the same
/// under the codes of the devices registered behind it. Pure: resolving "behind it" is the caller's
/// (<see cref="DeviceTopicAuthorizer"/>). The same rules become Mosquitto's <c>acl_file</c> (<see cref="MosquittoFilesWriter"/>).
/// </summary>
public static class TopicAcl
{
    /// <summary>What a source publishes (MQTT contract: source → fleet).</summary>
    public static IReadOnlyList<string> SourceToFleetKinds { get; } =
    [
        Topics.TelemetrySuffix[1..], Topics.EventsSuffix[1..], Topics.StateSuffix[1..],
        Topics.HealthSuffix[1..], Topics.LiveSuffix[1..], Topics.ReportedSuffix[1..], Topics.ResultsSuffix[1..], Topics.OtaStatusSuffix[1..],
    ];

    /// <summary>
    /// What only the fleet publishes (fleet → source): a device must not forge its own acknowledgements, desired state
    /// or commands, nor send commands or update offers to another device.
    /// </summary>
    public static IReadOnlyList<string> FleetToSourceKinds { get; } = [Topics.AckSuffix[1..], Topics.DesiredSuffix[1..], Topics.CommandsSuffix[1..], Topics.OtaSuffix[1..]];

    /// <summary>Whether <paramref name="code"/> may publish on <paramref name="topic"/>.</summary>
    public static TopicAccess Publish(string code, string topic)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(topic);
        if (!Topics.TryParse(topic, out var source, out var kind))
            return TopicAccess.Deny($"'{topic}' is not a topic of the contract (civic/v1/{{code}}/{{kind}})");
        if (!SourceToFleetKinds.Contains(kind, StringComparer.Ordinal))
            return TopicAccess.Deny($"'{kind}' is not a kind a device publishes ({string.Join(", ", SourceToFleetKinds)})");
        return string.Equals(source, code, StringComparison.Ordinal) ? TopicAccess.Own : TopicAccess.Other(source);
    }

    /// <summary>
    /// Whether <paramref name="code"/> may subscribe with <paramref name="filter"/>: the first three levels must be
    /// <c>civic</c>, <c>v1</c> and a literal code (no wildcard that could reach another device's topics).
    /// </summary>
    public static TopicAccess Subscribe(string code, string filter)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(filter);
        if (!filter.StartsWith(Topics.Prefix, StringComparison.Ordinal))
            return TopicAccess.Deny($"'{filter}' is outside {Topics.Prefix}");

        var rest = filter[Topics.Prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var source = slash < 0 ? rest : rest[..slash];
        if (!Topics.IsValidSegment(source))
            return TopicAccess.Deny($"'{filter}' does not name one source: a wildcard there would reach other devices' topics");
        return string.Equals(source, code, StringComparison.Ordinal) ? TopicAccess.Own : TopicAccess.Other(source);
    }
}
