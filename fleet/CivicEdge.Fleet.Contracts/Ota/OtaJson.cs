using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Ota;

/// <summary>The wire format of OTA manifests, signatures, offers, status reports and campaigns, in the conventions of <see cref="ContractsJson"/>.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(OtaManifest))]
[JsonSerializable(typeof(OtaSignature))]
[JsonSerializable(typeof(OtaOffer))]
[JsonSerializable(typeof(OtaStatusReport))]
[JsonSerializable(typeof(OtaArtifact))]
[JsonSerializable(typeof(IReadOnlyList<OtaArtifact>))]
[JsonSerializable(typeof(OtaCampaignRequest))]
[JsonSerializable(typeof(OtaCampaign))]
[JsonSerializable(typeof(IReadOnlyList<OtaCampaign>))]
public sealed partial class OtaJson : JsonSerializerContext;
