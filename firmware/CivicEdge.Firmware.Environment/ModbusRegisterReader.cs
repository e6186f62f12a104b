using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Firmware.Environment;

/// <summary>The station's sensor bus through the core's Modbus RTU master: function 03, with the master's timeout and retries.</summary>
public sealed class ModbusRegisterReader : IRegisterReader
{
    private readonly ModbusRtuMaster _master;

    public ModbusRegisterReader(ModbusRtuMaster master)
    {
        _master = master;
    }

    public bool TryReadHoldingRegisters(int unit, int address, int count, ushort[] into) =>
        _master.ReadHoldingRegisters((byte)unit, address, count, into) == ModbusMasterStatus.Ok;
}
