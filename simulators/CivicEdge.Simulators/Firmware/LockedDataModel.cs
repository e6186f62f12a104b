using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Simulators.Firmware;

/// <summary>A firmware data model read and written under the lock its main loop runs under, for a slave on a thread of its own.</summary>
public sealed class LockedDataModel(IModbusDataModel model, Lock firmware) : IModbusDataModel
{
    public ModbusExceptionCode ReadBits(bool coils, int address, int count, bool[] into)
    {
        lock (firmware)
            return model.ReadBits(coils, address, count, into);
    }

    public ModbusExceptionCode ReadRegisters(bool holding, int address, int count, ushort[] into)
    {
        lock (firmware)
            return model.ReadRegisters(holding, address, count, into);
    }

    public ModbusExceptionCode WriteCoil(int address, bool value)
    {
        lock (firmware)
            return model.WriteCoil(address, value);
    }

    public ModbusExceptionCode WriteRegister(int address, ushort value)
    {
        lock (firmware)
            return model.WriteRegister(address, value);
    }
}
