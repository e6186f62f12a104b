using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Cli.Health;

/// <summary>The JSON the health commands write of their own, in the fleet's wire format.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, WriteIndented = true)]
[JsonSerializable(typeof(HealthOverview))]
public sealed partial class HealthCliJson : JsonSerializerContext;
