using System.Text.Json;
using System.Text.Json.Serialization;

namespace CivicEdge.Fleet.Cli.Modbus;

/// <summary>Source-generated JSON for the reports of <c>civic modbus</c>: camelCase, as the fleet API speaks.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ModbusBenchReport))]
public sealed partial class ModbusCliJson : JsonSerializerContext;
