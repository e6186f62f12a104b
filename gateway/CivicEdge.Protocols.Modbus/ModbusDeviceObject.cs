namespace CivicEdge.Protocols.Modbus;

/// <summary>
/// One object a server reports in a read device identification response (Modbus Application Protocol V1.1b3 §6.21):
/// 0x00 vendor name, 0x01 product code, 0x02 major/minor revision, 0x03 vendor URL, 0x04 product name, 0x05 model name,
/// 0x06 user application name, 0x80..0xFF vendor-defined.
/// </summary>
/// <param name="Id">The object id.</param>
/// <param name="Value">The value; sent as ASCII, one byte per character.</param>
public readonly record struct ModbusDeviceObject(byte Id, string Value)
{
    public const byte VendorName = 0x00;
    public const byte ProductCode = 0x01;
    public const byte MajorMinorRevision = 0x02;
    public const byte VendorUrl = 0x03;
    public const byte ProductName = 0x04;
    public const byte ModelName = 0x05;
    public const byte UserApplicationName = 0x06;
}
