using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Ledger;

/// <summary>
/// The wire format of the ledger's REST API: UTF-8 JSON, camelCase names, enums as camelCase strings, like
/// <see cref="ContractsJson"/>. Request bodies may leave fields out (the fleet names what is missing); answers carry
/// every field.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(DeviceRegistration))]
[JsonSerializable(typeof(LifecycleRequest))]
[JsonSerializable(typeof(ClaimTokenRequest))]
[JsonSerializable(typeof(ClaimRequest))]
[JsonSerializable(typeof(CredentialRequest))]
[JsonSerializable(typeof(RevocationRequest))]
[JsonSerializable(typeof(DeviceAnswer))]
[JsonSerializable(typeof(LedgerDevice))]
[JsonSerializable(typeof(DeviceDetails))]
[JsonSerializable(typeof(IReadOnlyList<DeviceListItem>))]
[JsonSerializable(typeof(ClaimTokenIssued))]
[JsonSerializable(typeof(ClaimAnswer))]
[JsonSerializable(typeof(IssuedCredential))]
[JsonSerializable(typeof(IReadOnlyList<CredentialSummary>))]
[JsonSerializable(typeof(RevocationAnswer))]
[JsonSerializable(typeof(BrokerStatus))]
[JsonSerializable(typeof(MosquittoFiles))]
public sealed partial class LedgerJson : JsonSerializerContext;
