using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Contracts.Commands;

/// <summary>REST submissions, where absent fields are allowed and checked by the fleet with a clear message.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CommandSubmission))]
public sealed partial class CommandSubmissionJson : JsonSerializerContext;
