using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus;

/// <summary>What a read device identification (function code 43, MEI type 14) returned.</summary>
/// <param name="Result">How the exchange ended; the objects are complete only when it is <see cref="ModbusOutcome.Ok"/>.</param>
/// <param name="ConformityLevel">The identification level the device claims (§6.21: 0x01..0x03, 0x81..0x83 with individual access).</param>
/// <param name="Objects">The objects read, in the order the device sent them, across all "more follows" rounds.</param>
public sealed record ModbusDeviceIdentificationResult(ModbusResult Result, byte ConformityLevel, IReadOnlyList<ModbusDeviceObject> Objects)
{
    /// <summary>The value of object <paramref name="id"/> (e.g. <see cref="ModbusDeviceObject.VendorName"/>), or null if the device did not send it.</summary>
    public string? this[byte id]
    {
        get
        {
            foreach (var found in Objects)
            {
                if (found.Id == id)
                    return found.Value;
            }

            return null;
        }
    }
}
