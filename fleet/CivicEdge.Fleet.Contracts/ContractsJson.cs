using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// The wire format of every message: UTF-8 JSON, camelCase names, enums as camelCase strings.
/// Source-generated so that gateways and small devices serialize without reflection.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(TelemetryBatch))]
[JsonSerializable(typeof(DeliveryAck))]
[JsonSerializable(typeof(SourceState))]
[JsonSerializable(typeof(DeviceSummary))]
[JsonSerializable(typeof(IReadOnlyList<DeviceSummary>))]
[JsonSerializable(typeof(DeviceTelemetry))]
public sealed partial class ContractsJson : JsonSerializerContext;
