namespace CivicEdge.Protocols.Modbus;

/// <summary>Why bytes on a serial line are not an RTU frame; masters count each kind separately.</summary>
public enum ModbusRtuFrameError
{
    /// <summary>The frame is complete and sound, or needs more bytes.</summary>
    None,

    /// <summary>The length is known but the last two bytes are not the CRC of the rest (§2.5.1.2): a line error or noise.</summary>
    CrcMismatch,

    /// <summary>The address is not the slave asked, or no slave can send it (0, the broadcast address, never answers).</summary>
    UnexpectedUnit,

    /// <summary>The function code is not one this stack can frame, or not the one asked.</summary>
    UnexpectedFunction,

    /// <summary>A byte count or object length makes a frame the specification does not allow.</summary>
    InvalidLength,
}
