using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using FirmwareExceptionCode = CivicEdge.Firmware.Core.Modbus.ModbusExceptionCode;
using ProtocolExceptionCode = CivicEdge.Protocols.Modbus.ModbusExceptionCode;

namespace CivicEdge.Simulators.Firmware;

/// <summary>
/// Puts a firmware data model on a simulated bus: after every main-loop pass its registers are copied into a
/// <see cref="RegisterBank"/> that a Modbus server serves, and a master's write of holding registers is handed to the
/// firmware register by register. The bank's guard sees only addresses, not values, so a value the firmware refuses is
/// answered as written and then reads back as the firmware kept it; such refusals are counted.
/// </summary>
public sealed class FirmwareRegisterMirror
{
    private readonly IModbusDataModel _model;
    private readonly int _length;
    private readonly ushort[] _buffer;
    private readonly Lock _firmware;
    private long _refusedWrites;

    /// <param name="model">The firmware's registers.</param>
    /// <param name="length">How many registers, from address 0, the firmware serves.</param>
    /// <param name="firmware">The lock around the firmware's main loop; a master's write takes it too.</param>
    public FirmwareRegisterMirror(IModbusDataModel model, int length, Lock firmware)
    {
        _model = model;
        _length = length;
        _buffer = new ushort[length];
        _firmware = firmware;
        Bank.ReadGuard = (_, address, count) => address + count <= _length ? ProtocolExceptionCode.None : ProtocolExceptionCode.IllegalDataAddress;
        Bank.WriteGuard = (table, address, count) =>
            table == RegisterTable.HoldingRegisters && address + count <= _length ? ProtocolExceptionCode.None : ProtocolExceptionCode.IllegalDataAddress;
        Bank.WrittenByMaster += Forward;
    }

    public RegisterBank Bank { get; } = new();

    /// <summary>Writes the firmware refused (a value out of range, a read-only register).</summary>
    public long RefusedWrites => Interlocked.Read(ref _refusedWrites);

    /// <summary>Copies the firmware's registers into the bank; call with the firmware's lock held.</summary>
    public void Refresh()
    {
        _model.ReadRegisters(holding: true, 0, _length, _buffer);
        Bank.Write(RegisterTable.HoldingRegisters, 0, _buffer);
        Bank.Write(RegisterTable.InputRegisters, 0, _buffer);
    }

    private void Forward(RegisterTable table, ushort address, int count)
    {
        Span<ushort> values = stackalloc ushort[count];
        Bank.Read(table, address, values);
        lock (_firmware)
        {
            for (int i = 0; i < count; i++)
            {
                if (_model.WriteRegister(address + i, values[i]) != FirmwareExceptionCode.None)
                    Interlocked.Increment(ref _refusedWrites);
            }

            Refresh();
        }
    }
}
