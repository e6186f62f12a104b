using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Commands;

/// <summary>
/// The wire format of commands, on MQTT and on the REST API, in the conventions of <see cref="ContractsJson"/>. MQTT
/// messages carry every field; a REST submission may leave fields out (the fleet names what is missing).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CommandRequest))]
[JsonSerializable(typeof(CommandResult))]
[JsonSerializable(typeof(CommandRecord))]
[JsonSerializable(typeof(IReadOnlyList<CommandRecord>))]
[JsonSerializable(typeof(CommandBatch))]
public sealed partial class CommandsJson : JsonSerializerContext;
