namespace CivicEdge.Firmware.Core.Modbus;

/// <summary>How a transaction of the firmware's <see cref="ModbusRtuMaster"/> ended. Failure is normal on a field bus, so it is a value.</summary>
public enum ModbusMasterStatus
{
    /// <summary>The slave answered and the answer was understood.</summary>
    Ok,

    /// <summary>The slave answered with an exception (see <see cref="ModbusRtuMaster.LastException"/>); not retried.</summary>
    Exception,

    /// <summary>No answer within the response timeout, after every retry.</summary>
    Timeout,

    /// <summary>The last answer failed its CRC (noise on the line, or a frame cut short).</summary>
    CrcError,

    /// <summary>The last answer had a valid CRC but was not the answer to the request (another unit, function or length).</summary>
    Malformed,
}
