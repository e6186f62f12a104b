using System.Text.Json.Serialization;
using CivicEdge.Hardware;

namespace CivicEdge.Gateway.Acquisition;

/// <summary>
/// The JSON that <see cref="DeviceSpec"/> compares profiles by, source-generated so that the edge (Native AOT) build
/// serializes a profile without reflection.
/// </summary>
[JsonSerializable(typeof(DeviceProfile))]
internal sealed partial class CanonicalProfileJson : JsonSerializerContext;
