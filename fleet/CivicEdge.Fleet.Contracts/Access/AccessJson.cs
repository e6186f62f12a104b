using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Access;

/// <summary>The wire format of people's access and the audit log, in the same conventions as <see cref="ContractsJson"/>.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(AuditEntry))]
[JsonSerializable(typeof(IReadOnlyList<AuditEntry>))]
[JsonSerializable(typeof(ApiKeyInfo))]
[JsonSerializable(typeof(IReadOnlyList<ApiKeyInfo>))]
[JsonSerializable(typeof(NewApiKey))]
[JsonSerializable(typeof(IssuedApiKey))]
[JsonSerializable(typeof(CallerInfo))]
public sealed partial class AccessJson : JsonSerializerContext;
