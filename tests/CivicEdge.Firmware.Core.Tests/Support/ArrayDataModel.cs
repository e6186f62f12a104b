using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>
/// A device's four Modbus tables as arrays of 120 entries each; anything beyond is an illegal address, and holding
/// register 10 (a dimming level in percent) refuses values above 100.
/// </summary>
internal sealed class ArrayDataModel : IModbusDataModel
{
    public const int Size = 120;
    public const int DimLevel = 10;

    public bool[] Coils { get; } = new bool[Size];

    public bool[] DiscreteInputs { get; } = new bool[Size];

    public ushort[] Holding { get; } = new ushort[Size];

    public ushort[] Input { get; } = new ushort[Size];

    public Exception? Throws { get; set; }

    public ModbusExceptionCode ReadBits(bool coils, int address, int count, bool[] into)
    {
        if (Throws is not null)
            throw Throws;
        if (address + count > Size)
            return ModbusExceptionCode.IllegalDataAddress;
        Array.Copy(coils ? Coils : DiscreteInputs, address, into, 0, count);
        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode ReadRegisters(bool holding, int address, int count, ushort[] into)
    {
        if (Throws is not null)
            throw Throws;
        if (address + count > Size)
            return ModbusExceptionCode.IllegalDataAddress;
        Array.Copy(holding ? Holding : Input, address, into, 0, count);
        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode WriteCoil(int address, bool value)
    {
        if (address >= Size)
            return ModbusExceptionCode.IllegalDataAddress;
        Coils[address] = value;
        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode WriteRegister(int address, ushort value)
    {
        if (address >= Size)
            return ModbusExceptionCode.IllegalDataAddress;
        if (address == DimLevel && value > 100)
            return ModbusExceptionCode.IllegalDataValue;
        Holding[address] = value;
        return ModbusExceptionCode.None;
    }
}
