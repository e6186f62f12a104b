namespace CivicEdge.Protocols.Modbus;

/// <summary>What a read device identification request asks for (Modbus Application Protocol V1.1b3 §6.21).</summary>
public enum ModbusReadDeviceIdCode : byte
{
    /// <summary>Stream the basic objects: vendor name, product code, revision (object ids 0x00..0x02).</summary>
    Basic = 0x01,

    /// <summary>Stream the regular objects (0x00..0x7F).</summary>
    Regular = 0x02,

    /// <summary>Stream the extended, vendor-defined objects (0x00..0xFF).</summary>
    Extended = 0x03,

    /// <summary>Read one object by its id.</summary>
    Specific = 0x04,
}
