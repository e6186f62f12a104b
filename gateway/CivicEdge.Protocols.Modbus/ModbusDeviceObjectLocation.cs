using System.Text;

namespace CivicEdge.Protocols.Modbus;

/// <summary>Where one object of a decoded read device identification response lies in its PDU, so that decoding copies nothing.</summary>
/// <param name="Id">The object id.</param>
/// <param name="Offset">The PDU offset of the value.</param>
/// <param name="Length">The bytes of the value.</param>
public readonly record struct ModbusDeviceObjectLocation(byte Id, int Offset, int Length)
{
    /// <summary>The value's bytes within the PDU that was decoded.</summary>
    public ReadOnlySpan<byte> Value(ReadOnlySpan<byte> pdu) => pdu.Slice(Offset, Length);

    /// <summary>The value as text; bytes outside ASCII become '?'.</summary>
    public string ValueText(ReadOnlySpan<byte> pdu) => Encoding.ASCII.GetString(Value(pdu));
}
