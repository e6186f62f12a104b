using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts;

/// <summary>
/// The wire format of every message: UTF-8 JSON, camelCase names, enums as camelCase strings.
/// Source-generated so that gateways and small devices serialize without reflection.
/// </summary>
/// <remarks>
/// Every constructor parameter is required on read, so every field is written, an absent value as <c>null</c>:
/// omitting nulls on write would make a message with, say, no <see cref="PointValue.Quantity"/> unreadable.
/// </remarks>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(TelemetryBatch))]
[JsonSerializable(typeof(EventBatch))]
[JsonSerializable(typeof(DeliveryAck))]
[JsonSerializable(typeof(SourceState))]
[JsonSerializable(typeof(DeviceSummary))]
[JsonSerializable(typeof(IReadOnlyList<DeviceSummary>))]
[JsonSerializable(typeof(DeviceTelemetry))]
[JsonSerializable(typeof(AggregatedTelemetry))]
[JsonSerializable(typeof(DesiredConfiguration))]
[JsonSerializable(typeof(DesiredState))]
[JsonSerializable(typeof(ReportedState))]
[JsonSerializable(typeof(DeviceTwin))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(EventEntry))]
[JsonSerializable(typeof(IReadOnlyList<EventEntry>))]
public sealed partial class ContractsJson : JsonSerializerContext;
