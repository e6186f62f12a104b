using System.Buffers.Binary;

namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// Cuts Modbus TCP application data units (MBAP header + PDU) out of a byte stream and writes their headers.
/// TCP delivers a stream, not messages, so a frame may arrive in pieces or several at once.
/// </summary>
public static class ModbusTcpFramer
{
    // The length field counts the unit identifier and the PDU: at least the unit and a function code,
    // at most the unit and the largest PDU (Implementation Guide V1.0b §3.1.3, Application Protocol V1.1b3 §4.1).
    private const int MinLengthField = 2;
    private const int MaxLengthField = 1 + ModbusPdu.MaxLength;

    /// <summary>
    /// Writes the MBAP header in front of a PDU that the caller already encoded at
    /// <c>adu[MbapHeader.Size..]</c>, so that a request is built in one buffer without copying.
    /// </summary>
    /// <returns>The length of the whole ADU.</returns>
    public static int WriteHeader(Span<byte> adu, ushort transactionId, byte unitId, int pduLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pduLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pduLength, ModbusPdu.MaxLength);
        if (adu.Length < MbapHeader.Size + pduLength)
            throw new ArgumentException($"An ADU with a {pduLength}-byte PDU needs {MbapHeader.Size + pduLength} bytes; the buffer has {adu.Length}.", nameof(adu));

        // Implementation Guide V1.0b §3.1.3, all fields big-endian:
        // [0..1] transaction identifier  [2..3] protocol identifier = 0  [4..5] length = unit + PDU  [6] unit identifier
        BinaryPrimitives.WriteUInt16BigEndian(adu, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(adu[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(adu[4..], (ushort)(pduLength + 1));
        adu[6] = unitId;
        return MbapHeader.Size + pduLength;
    }

    /// <summary>
    /// Looks for one ADU at the front of <paramref name="received"/>. Bytes after it are left for the next call.
    /// Checks each header field as soon as it has arrived, so that garbage is reported without waiting for more.
    /// </summary>
    public static ModbusTcpFrame Frame(ReadOnlySpan<byte> received)
    {
        // [2..3] protocol identifier: 0 means Modbus; anything else means the stream is not Modbus or lost sync.
        if (received.Length >= 4)
        {
            var protocolId = BinaryPrimitives.ReadUInt16BigEndian(received[2..]);
            if (protocolId != 0)
                return ModbusTcpFrame.Malformed($"expected protocol identifier 0, found {protocolId} (0x{protocolId:X4})", 2);
        }

        // [4..5] length: the bytes that follow, i.e. the unit identifier and the PDU.
        int lengthField = 0;
        if (received.Length >= 6)
        {
            lengthField = BinaryPrimitives.ReadUInt16BigEndian(received[4..]);
            if (lengthField is < MinLengthField or > MaxLengthField)
                return ModbusTcpFrame.Malformed($"expected a length field of {MinLengthField}..{MaxLengthField} (unit identifier and PDU), found {lengthField}", 4);
        }

        if (received.Length < MbapHeader.Size)
            return ModbusTcpFrame.NeedMoreData(MbapHeader.Size);

        // The length field counts from the unit identifier at offset 6.
        int frameLength = 6 + lengthField;
        if (received.Length < frameLength)
            return ModbusTcpFrame.NeedMoreData(frameLength);

        var header = new MbapHeader(
            TransactionId: BinaryPrimitives.ReadUInt16BigEndian(received),
            ProtocolId: 0,
            Length: (ushort)lengthField,
            UnitId: received[6]);
        return ModbusTcpFrame.Complete(frameLength, header);
    }
}
