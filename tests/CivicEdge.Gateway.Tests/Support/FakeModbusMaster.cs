using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>A Modbus master that reads a <see cref="RegisterBank"/> directly, with faults injected per read.</summary>
internal sealed class FakeModbusMaster : IModbusMaster
{
    private static readonly ModbusResult NeverWrites =
        new(ModbusOutcome.Exception, ModbusExceptionCode.IllegalFunction, "the gateway never writes in these tests");

    private readonly Lock _gate = new();
    private readonly List<(byte Unit, RegisterTable Table, ushort Address, int Count)> _reads = [];

    public RegisterBank Bank { get; } = new();

    /// <summary>Decides the outcome of a read; null or an Ok result lets it through.</summary>
    public Func<RegisterTable, ushort, int, ModbusResult?>? Fault { get; set; }

    public IReadOnlyList<(byte Unit, RegisterTable Table, ushort Address, int Count)> Reads
    {
        get
        {
            lock (_gate)
                return [.. _reads];
        }
    }

    public ValueTask<ModbusResult> ReadRegistersAsync(
        byte unitId, RegisterTable table, ushort address, Memory<ushort> destination, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
            _reads.Add((unitId, table, address, destination.Length));
        if (Fault?.Invoke(table, address, destination.Length) is { IsOk: false } fault)
            return ValueTask.FromResult(fault);
        Bank.Read(table, address, destination.Span);
        return ValueTask.FromResult(ModbusResult.Ok);
    }

    public ValueTask<ModbusResult> WriteRegistersAsync(
        byte unitId, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken) =>
        ValueTask.FromResult(NeverWrites);

    public ValueTask<ModbusResult> ReadBitsAsync(
        byte unitId, RegisterTable table, ushort address, Memory<bool> destination, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Bank.ReadBits(table, address, destination.Span);
        return ValueTask.FromResult(ModbusResult.Ok);
    }

    public ValueTask<ModbusResult> WriteCoilsAsync(
        byte unitId, ushort address, ReadOnlyMemory<bool> values, CancellationToken cancellationToken) =>
        ValueTask.FromResult(NeverWrites);

    public ValueTask<ModbusResult> ReadWriteRegistersAsync(
        byte unitId, ushort readAddress, Memory<ushort> destination, ushort writeAddress, ReadOnlyMemory<ushort> values,
        CancellationToken cancellationToken) =>
        ValueTask.FromResult(NeverWrites);

    public ValueTask<ModbusDeviceIdentificationResult> ReadDeviceIdentificationAsync(
        byte unitId, ModbusReadDeviceIdCode code, byte objectId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ModbusDeviceIdentificationResult(
            new ModbusResult(ModbusOutcome.Exception, ModbusExceptionCode.IllegalFunction, "no identification in these tests"), 0, []));

    public ValueTask<ModbusResult> ReadFileRecordAsync(
        byte unitId, ushort file, ushort record, Memory<byte> destination, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ModbusResult(ModbusOutcome.Exception, ModbusExceptionCode.IllegalFunction, "no file records in these tests"));

    public ValueTask<ModbusResult> WriteFileRecordAsync(
        byte unitId, ushort file, ushort record, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ModbusResult(ModbusOutcome.Exception, ModbusExceptionCode.IllegalFunction, "no file records in these tests"));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Stores <paramref name="value"/> as the device would, in the layout of <paramref name="type"/>.</summary>
    public void Set(RegisterTable table, ushort address, double value, RegisterDataType type, RegisterOrder order = RegisterOrder.ABCD)
    {
        Span<ushort> registers = stackalloc ushort[RegisterValueCodec.RegisterCount(type)];
        RegisterValueCodec.Encode(value, type, order, registers);
        Bank.Write(table, address, registers);
    }
}
