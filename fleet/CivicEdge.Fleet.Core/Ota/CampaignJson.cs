using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>How stores write a <see cref="CampaignSnapshot"/>: the web conventions of the fleet's contracts, enums by name.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CampaignSnapshot))]
[JsonSerializable(typeof(CampaignScope))]
public sealed partial class CampaignJson : JsonSerializerContext;
