using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;
using FirmwareExceptionCode = CivicEdge.Firmware.Core.Modbus.ModbusExceptionCode;
using ProtocolExceptionCode = CivicEdge.Protocols.Modbus.ModbusExceptionCode;

namespace CivicEdge.Simulators.Firmware;

/// <summary>
/// Puts a firmware data model with sparse tables (coils, input and holding registers at scattered addresses, as the
/// pole controller's SLC-1 map) on a simulated bus: after every main-loop pass the declared ranges are copied into a
/// <see cref="RegisterBank"/> that a Modbus server serves; a read outside them is answered with exception 02, as the
/// firmware's own slave answers it (Modbus Application Protocol §7). A master's write of a coil or holding register
/// is handed to the firmware one by one. An accepted value stays in the bank as written until the next pass copies
/// the tables again: a firmware acts on a command in its next pass (the pole's set-point is its arbiter's decision),
/// and a master reading back at once must see what it wrote, as it does from the device. A value the firmware refuses
/// (out of range) is counted and the tables are copied at once, so it reads back as the firmware kept it — the bank's
/// guard sees addresses, not values. Between the bank taking a master's write and the write reaching the firmware, a
/// pass must not copy the firmware's writable tables over it (the write would be lost and the old value forwarded in
/// its place), so those tables are held while a write is on its way.
/// </summary>
public sealed class DataModelMirror
{
    private readonly IModbusDataModel _model;
    private readonly IReadOnlyList<MirroredRange> _ranges;
    private readonly Lock _firmware;
    private readonly ushort[] _registers;
    private readonly bool[] _bits;
    private long _refusedWrites;
    private int _writesOnTheirWay;

    /// <param name="model">The firmware's tables.</param>
    /// <param name="ranges">What the firmware serves; coil and holding ranges are writable.</param>
    /// <param name="firmware">The lock around the firmware's main loop; a master's write takes it too.</param>
    public DataModelMirror(IModbusDataModel model, IReadOnlyList<MirroredRange> ranges, Lock firmware)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        if (ranges.Count == 0)
            throw new ArgumentException("Expected at least one range to mirror; found none.", nameof(ranges));
        _model = model;
        _ranges = ranges;
        _firmware = firmware;
        int longest = ranges.Max(r => r.Count);
        _registers = new ushort[longest];
        _bits = new bool[longest];
        Bank.ReadGuard = (table, address, count) => Served(table, address, count) ? ProtocolExceptionCode.None : ProtocolExceptionCode.IllegalDataAddress;
        Bank.WriteGuard = (table, address, count) =>
        {
            if (table is not (RegisterTable.Coils or RegisterTable.HoldingRegisters) || !Served(table, address, count))
                return ProtocolExceptionCode.IllegalDataAddress;
            // The bank writes and then raises WrittenByMaster (Forward), which hands the write to the firmware.
            Interlocked.Increment(ref _writesOnTheirWay);
            return ProtocolExceptionCode.None;
        };
        Bank.WrittenByMaster += Forward;
    }

    public RegisterBank Bank { get; } = new();

    /// <summary>Writes the firmware refused.</summary>
    public long RefusedWrites => Interlocked.Read(ref _refusedWrites);

    /// <summary>Copies the firmware's tables into the bank; call with the firmware's lock held (it shares the buffers with writes).</summary>
    public void Refresh()
    {
        bool holdWritable = Volatile.Read(ref _writesOnTheirWay) > 0;
        foreach (var range in _ranges)
        {
            if (holdWritable && range.Table is RegisterTable.Coils or RegisterTable.HoldingRegisters)
                continue;
            bool bits = range.Table is RegisterTable.Coils or RegisterTable.DiscreteInputs;
            if (bits)
            {
                if (_model.ReadBits(range.Table == RegisterTable.Coils, range.Address, range.Count, _bits) == FirmwareExceptionCode.None)
                    Bank.WriteBits(range.Table, range.Address, _bits.AsSpan(0, range.Count));
            }
            else
            {
                if (_model.ReadRegisters(range.Table == RegisterTable.HoldingRegisters, range.Address, range.Count, _registers) == FirmwareExceptionCode.None)
                    Bank.Write(range.Table, range.Address, _registers.AsSpan(0, range.Count));
            }
        }
    }

    private bool Served(RegisterTable table, ushort address, int count) => _ranges.Any(r => r.Covers(table, address, count));

    private void Forward(RegisterTable table, ushort address, int count)
    {
        lock (_firmware)
        {
            bool refused = false;
            if (table == RegisterTable.Coils)
            {
                Span<bool> values = _bits.AsSpan(0, count);
                Bank.ReadBits(table, address, values);
                for (int i = 0; i < count; i++)
                    refused |= Refused(_model.WriteCoil(address + i, values[i]));
            }
            else
            {
                Span<ushort> values = _registers.AsSpan(0, count);
                Bank.Read(table, address, values);
                for (int i = 0; i < count; i++)
                    refused |= Refused(_model.WriteRegister(address + i, values[i]));
            }

            Interlocked.Decrement(ref _writesOnTheirWay);
            if (refused)
                Refresh();
        }
    }

    private bool Refused(FirmwareExceptionCode result)
    {
        if (result == FirmwareExceptionCode.None)
            return false;
        Interlocked.Increment(ref _refusedWrites);
        return true;
    }
}
