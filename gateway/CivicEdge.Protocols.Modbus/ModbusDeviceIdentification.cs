namespace CivicEdge.Protocols.Modbus;

/// <summary>The fixed fields of a read device identification response (Modbus Application Protocol V1.1b3 §6.21).</summary>
/// <param name="ReadDeviceIdCode">The code of the request, echoed.</param>
/// <param name="ConformityLevel">
/// The identification level the device supports: 0x01 basic, 0x02 regular, 0x03 extended stream access only; 0x81,
/// 0x82, 0x83 the same with individual access.
/// </param>
/// <param name="MoreFollows">Whether the objects did not fit in one response; ask again from <paramref name="NextObjectId"/>.</param>
/// <param name="NextObjectId">The object to ask for next when more follow; otherwise 0.</param>
/// <param name="ObjectCount">The objects in this response.</param>
public readonly record struct ModbusDeviceIdentification(
    ModbusReadDeviceIdCode ReadDeviceIdCode, byte ConformityLevel, bool MoreFollows, byte NextObjectId, int ObjectCount);
