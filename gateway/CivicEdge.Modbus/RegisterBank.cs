using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus;

/// <summary>
/// The data of one Modbus slave (unit): the four tables of the Modbus data model, each 65,536 entries long.
/// Simulators and firmware tests write values with <see cref="Write"/>; a <c>ModbusTcpServer</c> serves them.
/// Thread-safe: a multi-register value written by the owner is never seen half-written by a master.
/// </summary>
public sealed class RegisterBank
{
    private const int TableSize = 65536;

    private readonly Lock _gate = new();
    private readonly ushort[] _holding = new ushort[TableSize];
    private readonly ushort[] _input = new ushort[TableSize];
    private readonly bool[] _coils = new bool[TableSize];
    private readonly bool[] _discrete = new bool[TableSize];

    /// <summary>The identification objects served by function code 43 / MEI type 14 (read device identification).</summary>
    public DeviceIdentification Identification { get; } = new();

    /// <summary>Raised after a master has written holding registers or coils: (table, first address, count).</summary>
    public event Action<RegisterTable, ushort, int>? WrittenByMaster;

    /// <summary>Decides whether a master may write a register or coil; null allows every write.</summary>
    public Func<RegisterTable, ushort, int, ModbusExceptionCode>? WriteGuard { get; set; }

    /// <summary>Decides whether a master may read a range; null allows every read.</summary>
    public Func<RegisterTable, ushort, int, ModbusExceptionCode>? ReadGuard { get; set; }

    /// <summary>Reads 16-bit registers (holding or input) into <paramref name="destination"/>.</summary>
    public void Read(RegisterTable table, ushort address, Span<ushort> destination)
    {
        var source = Registers(table);
        CheckRange(address, destination.Length);
        lock (_gate)
            source.AsSpan(address, destination.Length).CopyTo(destination);
    }

    /// <summary>Writes 16-bit registers (holding or input) as the device itself would; raises no event.</summary>
    public void Write(RegisterTable table, ushort address, ReadOnlySpan<ushort> values)
    {
        var target = Registers(table);
        CheckRange(address, values.Length);
        lock (_gate)
            values.CopyTo(target.AsSpan(address));
    }

    /// <summary>Reads bits (coils or discrete inputs) into <paramref name="destination"/>.</summary>
    public void ReadBits(RegisterTable table, ushort address, Span<bool> destination)
    {
        var source = Bits(table);
        CheckRange(address, destination.Length);
        lock (_gate)
            source.AsSpan(address, destination.Length).CopyTo(destination);
    }

    /// <summary>Writes bits (coils or discrete inputs) as the device itself would; raises no event.</summary>
    public void WriteBits(RegisterTable table, ushort address, ReadOnlySpan<bool> values)
    {
        var target = Bits(table);
        CheckRange(address, values.Length);
        lock (_gate)
            values.CopyTo(target.AsSpan(address));
    }

    /// <summary>Applies a master's write of holding registers after the <see cref="WriteGuard"/> allowed it.</summary>
    public ModbusExceptionCode WriteFromMaster(ushort address, ReadOnlySpan<ushort> values)
    {
        if (address + values.Length > TableSize)
            return ModbusExceptionCode.IllegalDataAddress;
        var verdict = WriteGuard?.Invoke(RegisterTable.HoldingRegisters, address, values.Length) ?? ModbusExceptionCode.None;
        if (verdict != ModbusExceptionCode.None)
            return verdict;
        Write(RegisterTable.HoldingRegisters, address, values);
        WrittenByMaster?.Invoke(RegisterTable.HoldingRegisters, address, values.Length);
        return ModbusExceptionCode.None;
    }

    /// <summary>Applies a master's write of coils after the <see cref="WriteGuard"/> allowed it.</summary>
    public ModbusExceptionCode WriteBitsFromMaster(ushort address, ReadOnlySpan<bool> values)
    {
        if (address + values.Length > TableSize)
            return ModbusExceptionCode.IllegalDataAddress;
        var verdict = WriteGuard?.Invoke(RegisterTable.Coils, address, values.Length) ?? ModbusExceptionCode.None;
        if (verdict != ModbusExceptionCode.None)
            return verdict;
        WriteBits(RegisterTable.Coils, address, values);
        WrittenByMaster?.Invoke(RegisterTable.Coils, address, values.Length);
        return ModbusExceptionCode.None;
    }

    /// <summary>Checks a master's read against the address space and the <see cref="ReadGuard"/>.</summary>
    public ModbusExceptionCode CheckRead(RegisterTable table, ushort address, int count) =>
        address + count > TableSize
            ? ModbusExceptionCode.IllegalDataAddress
            : ReadGuard?.Invoke(table, address, count) ?? ModbusExceptionCode.None;

    private ushort[] Registers(RegisterTable table) => table switch
    {
        RegisterTable.HoldingRegisters => _holding,
        RegisterTable.InputRegisters => _input,
        _ => throw new ArgumentException($"{table} holds bits, not 16-bit registers.", nameof(table)),
    };

    private bool[] Bits(RegisterTable table) => table switch
    {
        RegisterTable.Coils => _coils,
        RegisterTable.DiscreteInputs => _discrete,
        _ => throw new ArgumentException($"{table} holds 16-bit registers, not bits.", nameof(table)),
    };

    private static void CheckRange(ushort address, int count)
    {
        if (address + count > TableSize)
            throw new ArgumentOutOfRangeException(nameof(count), $"Address {address} + count {count} runs past the end of the table (65536).");
    }
}
