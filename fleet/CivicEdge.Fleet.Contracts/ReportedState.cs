using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// The twin's reported state, retained on <see cref="Topics.Reported"/>: what the gateway runs, where that came from,
/// and what became of the latest desired version and the latest local file change.
/// </summary>
/// <param name="SourceId">The gateway's unified device code.</param>
/// <param name="SoftwareVersion">The gateway software's version.</param>
/// <param name="Timestamp">When the state was produced (UTC).</param>
/// <param name="Origin">Whether the running buses and devices come from the local file or the fleet.</param>
/// <param name="AppliedVersion">The desired version running; null while the local file applies.</param>
/// <param name="LastDesired">The outcome of the latest desired version received; null before the first.</param>
/// <param name="LastLocal">The outcome of the latest change of the local file; null before the first.</param>
/// <param name="Devices">The devices polled now.</param>
/// <param name="RuleSets">The edge rule sets loaded, as <c>id@version</c>; null when the gateway runs no rules.</param>
public sealed record ReportedState(
    string SourceId,
    string SoftwareVersion,
    DateTimeOffset Timestamp,
    ConfigurationOrigin Origin,
    long? AppliedVersion,
    ConfigurationOutcome? LastDesired,
    ConfigurationOutcome? LastLocal,
    IReadOnlyList<ReportedDevice> Devices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? RuleSets = null);
