using CivicEdge.Modbus;
using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Gateway.Tests.Support;

/// <summary>
/// A master on a simulated bus: every transaction takes <see cref="TransactionTime"/> of fake time (a silent unit
/// takes <see cref="ResponseTimeout"/> and times out), and each one is recorded in a shared <see cref="TransactionLog"/>.
/// It never serializes anything itself, so overlap in the log is overlap the scheduler allowed.
/// </summary>
internal sealed class FakeBusMaster(string name, TransactionLog log, TimeProvider time) : IModbusMaster
{
    private static readonly ModbusResult NotInTheseTests =
        new(ModbusOutcome.Exception, ModbusExceptionCode.IllegalFunction, "the gateway only reads registers in these tests");

    private int _disposals;

    public TimeSpan TransactionTime { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Units that never answer.</summary>
    public HashSet<byte> Silent { get; } = [];

    /// <summary>Awaited inside every transaction before it completes.</summary>
    public Func<Task>? During { get; set; }

    public int Disposals => Volatile.Read(ref _disposals);

    public async ValueTask<ModbusResult> ReadRegistersAsync(
        byte unitId, RegisterTable table, ushort address, Memory<ushort> destination, CancellationToken cancellationToken)
    {
        log.Begin(name, unitId, time.GetUtcNow());
        try
        {
            if (During is { } during)
                await during();
            var silent = Silent.Contains(unitId);
            await Task.Delay(silent ? ResponseTimeout : TransactionTime, time, cancellationToken);
            if (silent)
                return new ModbusResult(ModbusOutcome.Timeout, Detail: "no answer");
            destination.Span.Fill(unitId);
            return ModbusResult.Ok;
        }
        finally
        {
            log.End(name);
        }
    }

    public ValueTask<ModbusResult> WriteRegistersAsync(
        byte unitId, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken) =>
        ValueTask.FromResult(NotInTheseTests);

    public ValueTask<ModbusResult> ReadBitsAsync(
        byte unitId, RegisterTable table, ushort address, Memory<bool> destination, CancellationToken cancellationToken) =>
        ValueTask.FromResult(NotInTheseTests);

    public ValueTask<ModbusResult> WriteCoilsAsync(
        byte unitId, ushort address, ReadOnlyMemory<bool> values, CancellationToken cancellationToken) =>
        ValueTask.FromResult(NotInTheseTests);

    public ValueTask<ModbusResult> ReadWriteRegistersAsync(
        byte unitId, ushort readAddress, Memory<ushort> destination, ushort writeAddress, ReadOnlyMemory<ushort> values,
        CancellationToken cancellationToken) =>
        ValueTask.FromResult(NotInTheseTests);

    public ValueTask<ModbusDeviceIdentificationResult> ReadDeviceIdentificationAsync(
        byte unitId, ModbusReadDeviceIdCode code, byte objectId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ModbusDeviceIdentificationResult(NotInTheseTests, 0, []));

    public ValueTask<ModbusResult> ReadFileRecordAsync(
        byte unitId, ushort file, ushort record, Memory<byte> destination, CancellationToken cancellationToken) =>
        ValueTask.FromResult(NotInTheseTests);

    public ValueTask<ModbusResult> WriteFileRecordAsync(
        byte unitId, ushort file, ushort record, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        ValueTask.FromResult(NotInTheseTests);

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _disposals);
        return ValueTask.CompletedTask;
    }
}
