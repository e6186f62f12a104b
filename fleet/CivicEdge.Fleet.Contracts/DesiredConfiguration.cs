using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// The configuration the fleet wants a gateway to run: its field buses, its devices and any hardware profiles it does
/// not ship with. The body of <c>PUT /api/devices/{id}/twin/desired</c> and the content of a <see cref="DesiredState"/>.
/// </summary>
/// <remarks>
/// Buses and devices are JSON objects with the keys of the gateway's configuration file (<c>Buses:N:*</c>,
/// <c>Devices:N:*</c>, names case-insensitive, durations as <c>5s</c>), not fixed records: the gateway binds and validates
/// them with the same rules as its local file, so one key means the same in both places and a misspelt key is named
/// back rather than ignored.
/// </remarks>
/// <param name="Buses">One object per bus, e.g. <c>{"id":"rs485-1","kind":"rtu","path":"/dev/ttyUSB0"}</c>.</param>
/// <param name="Devices">One object per field device, e.g. <c>{"id":"mtr-1","profile":"eastron-sdm630","bus":"rs485-1","unit":3}</c>.</param>
/// <param name="Profiles">Hardware profile YAML texts (schema <c>civicedge.profile/v1</c>); one with the model of a profile the gateway has replaces it.</param>
/// <param name="RuleSets">
/// Edge rule-set YAML texts (schema <c>civicedge.rules/v1</c>), validated against the profiles; when given they replace
/// the rule sets of the gateway's <c>Rules:Files</c> (an empty list runs none); null leaves the files' rule sets running.
/// </param>
public sealed record DesiredConfiguration(
    IReadOnlyList<JsonElement> Buses,
    IReadOnlyList<JsonElement> Devices,
    IReadOnlyList<string> Profiles,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? RuleSets = null);
