namespace CivicEdge.Firmware.Core.Modbus;

/// <summary>Exception codes a slave answers with (Modbus Application Protocol v1.1b3, §7).</summary>
public enum ModbusExceptionCode
{
    /// <summary>No exception: the request succeeded.</summary>
    None = 0,

    /// <summary>The function code is not supported.</summary>
    IllegalFunction = 1,

    /// <summary>The address, or address plus count, is outside what the device serves.</summary>
    IllegalDataAddress = 2,

    /// <summary>A value in the request is not acceptable (e.g. a dimming level above 100 %).</summary>
    IllegalDataValue = 3,

    /// <summary>The device failed while performing the request.</summary>
    ServerDeviceFailure = 4,

    /// <summary>The device is busy with a long operation; the master should retry later.</summary>
    ServerDeviceBusy = 6,
}
