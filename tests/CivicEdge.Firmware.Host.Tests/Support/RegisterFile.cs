using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Firmware.Host.Tests.Support;

/// <summary>A device's four Modbus tables, 100 entries each; anything beyond is an illegal data address.</summary>
internal sealed class RegisterFile : IModbusDataModel
{
    public const int Size = 100;

    public bool[] Coils { get; } = new bool[Size];

    public bool[] DiscreteInputs { get; } = new bool[Size];

    public ushort[] Holding { get; } = new ushort[Size];

    public ushort[] Input { get; } = new ushort[Size];

    public static RegisterFile WithPattern()
    {
        var file = new RegisterFile();
        for (var i = 0; i < Size; i++)
        {
            file.Holding[i] = (ushort)(1000 + i);
            file.Input[i] = (ushort)(2000 + i);
            file.DiscreteInputs[i] = i % 3 == 0;
        }

        return file;
    }

    public ModbusExceptionCode ReadBits(bool coils, int address, int count, bool[] into)
    {
        if (address + count > Size)
            return ModbusExceptionCode.IllegalDataAddress;
        Array.Copy(coils ? Coils : DiscreteInputs, address, into, 0, count);
        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode ReadRegisters(bool holding, int address, int count, ushort[] into)
    {
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
        Holding[address] = value;
        return ModbusExceptionCode.None;
    }
}
