using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Gateway.Tests.Ota;

/// <summary>A pole controller's own holding registers, 0..15, that polling reads while an update goes on.</summary>
internal sealed class PoleRegisters : IModbusDataModel
{
    private readonly ushort[] _holding = new ushort[16];

    public PoleRegisters()
    {
        for (var i = 0; i < _holding.Length; i++)
            _holding[i] = (ushort)(100 + i);
    }

    public ModbusExceptionCode ReadBits(bool coils, int address, int count, bool[] into) => ModbusExceptionCode.IllegalDataAddress;

    public ModbusExceptionCode WriteCoil(int address, bool value) => ModbusExceptionCode.IllegalDataAddress;

    public ModbusExceptionCode ReadRegisters(bool holding, int address, int count, ushort[] into)
    {
        if (!holding || address + count > _holding.Length)
            return ModbusExceptionCode.IllegalDataAddress;
        Array.Copy(_holding, address, into, 0, count);
        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode WriteRegister(int address, ushort value)
    {
        if (address >= _holding.Length)
            return ModbusExceptionCode.IllegalDataAddress;
        _holding[address] = value;
        return ModbusExceptionCode.None;
    }
}
