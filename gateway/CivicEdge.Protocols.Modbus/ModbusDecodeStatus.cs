namespace CivicEdge.Protocols.Modbus;

/// <summary>Where a decoder stands with the bytes it was given.</summary>
public enum ModbusDecodeStatus
{
    /// <summary>A whole frame or message was found; its length says how many bytes it took.</summary>
    Complete,

    /// <summary>The bytes so far are a valid beginning; more are needed. Not an error on a byte stream.</summary>
    NeedMoreData,

    /// <summary>The bytes cannot be the message expected; the reason says what was expected and what was found, and where.</summary>
    Malformed,
}
