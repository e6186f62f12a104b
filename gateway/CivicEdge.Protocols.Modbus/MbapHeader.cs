namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// The MBAP header that precedes every PDU on Modbus TCP (Modbus Messaging on TCP/IP Implementation Guide V1.0b §3.1.3).
/// </summary>
/// <param name="TransactionId">Chosen by the client; the server copies it so that responses can be paired with requests.</param>
/// <param name="ProtocolId">Always 0 for Modbus.</param>
/// <param name="Length">The number of bytes that follow this field: the unit identifier plus the PDU.</param>
/// <param name="UnitId">The slave behind a gateway (the serial address), or 0xFF when the server is the device itself.</param>
public readonly record struct MbapHeader(ushort TransactionId, ushort ProtocolId, ushort Length, byte UnitId)
{
    /// <summary>Bytes of the header on the wire: transaction (2), protocol (2), length (2), unit (1).</summary>
    public const int Size = 7;

    /// <summary>The largest ADU: the header plus the largest PDU.</summary>
    public const int MaxAduLength = Size + ModbusPdu.MaxLength;

    /// <summary>The number of PDU bytes after the header.</summary>
    public int PduLength => Length - 1;
}
