using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Cli.MBus;

/// <summary>Source-generated JSON for the lists <c>civic mbus scan</c> prints.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(List<string>))]
public sealed partial class MbusCliJson : JsonSerializerContext;
