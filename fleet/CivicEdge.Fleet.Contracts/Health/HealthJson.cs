using System.Text.Json;
using System.Text.Json.Serialization;
using CivicEdge.Fleet.Contracts.Alarms;

namespace CivicEdge.Fleet.Contracts.Health;

/// <summary>The wire format of the health and alarm REST API: camelCase JSON, enums as camelCase strings.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(DeviceHealthStatus))]
[JsonSerializable(typeof(IReadOnlyList<DeviceHealthStatus>))]
[JsonSerializable(typeof(HealthRollup))]
[JsonSerializable(typeof(PlanAssessment))]
[JsonSerializable(typeof(Alarm))]
[JsonSerializable(typeof(IReadOnlyList<Alarm>))]
[JsonSerializable(typeof(AlarmStepRequest))]
public sealed partial class HealthJson : JsonSerializerContext;
