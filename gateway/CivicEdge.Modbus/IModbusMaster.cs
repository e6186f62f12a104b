using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus;

/// <summary>
/// A Modbus client (master) on one link: a TCP connection, an RTU serial bus or an RTU-over-TCP converter.
/// Implementations are safe to call concurrently; a half-duplex link serializes the transactions itself.
/// Addresses are zero-based protocol addresses. Unit 0 is the broadcast address on a serial line: only writes may use it,
/// and they return <see cref="ModbusResult.Ok"/> once sent, since no slave answers.
/// </summary>
public interface IModbusMaster : IAsyncDisposable
{
    /// <summary>
    /// Reads <c>destination.Length</c> holding registers (function code 3) or input registers (function code 4)
    /// starting at the zero-based protocol <paramref name="address"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A table other than holding or input registers, or a count outside 1..125.</exception>
    ValueTask<ModbusResult> ReadRegistersAsync(
        byte unitId, RegisterTable table, ushort address, Memory<ushort> destination, CancellationToken cancellationToken);

    /// <summary>Writes holding registers: function code 6 for one register, 16 for several.</summary>
    /// <exception cref="ArgumentException">A count outside 1..123.</exception>
    ValueTask<ModbusResult> WriteRegistersAsync(
        byte unitId, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken);

    /// <summary>Reads <c>destination.Length</c> coils (function code 1) or discrete inputs (function code 2).</summary>
    /// <exception cref="ArgumentException">A table other than coils or discrete inputs, or a count outside 1..2000.</exception>
    ValueTask<ModbusResult> ReadBitsAsync(
        byte unitId, RegisterTable table, ushort address, Memory<bool> destination, CancellationToken cancellationToken);

    /// <summary>Writes coils: function code 5 for one coil, 15 for several.</summary>
    /// <exception cref="ArgumentException">A count outside 1..1968.</exception>
    ValueTask<ModbusResult> WriteCoilsAsync(
        byte unitId, ushort address, ReadOnlyMemory<bool> values, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="values"/> at <paramref name="writeAddress"/>, then reads <c>destination.Length</c> holding
    /// registers at <paramref name="readAddress"/>, in one transaction (function code 23; the write happens first, §6.17).
    /// </summary>
    /// <exception cref="ArgumentException">A read count outside 1..125 or a write count outside 1..121.</exception>
    ValueTask<ModbusResult> ReadWriteRegistersAsync(
        byte unitId, ushort readAddress, Memory<ushort> destination, ushort writeAddress, ReadOnlyMemory<ushort> values,
        CancellationToken cancellationToken);

    /// <summary>
    /// Reads the device's identification objects (function code 43, MEI type 14) from <paramref name="objectId"/> on,
    /// following "more follows" until the device has sent all objects of <paramref name="code"/>'s category.
    /// </summary>
    /// <exception cref="ArgumentException">A code outside 1..4.</exception>
    ValueTask<ModbusDeviceIdentificationResult> ReadDeviceIdentificationAsync(
        byte unitId, ModbusReadDeviceIdCode code, byte objectId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads <c>destination.Length / 2</c> records of <paramref name="file"/> from <paramref name="record"/> on (function
    /// code 20, one sub-request, §6.14): records are 16-bit registers, high byte first.
    /// </summary>
    /// <exception cref="ArgumentException">An odd or empty destination, more than 248 bytes, file 0, or records past 9999.</exception>
    ValueTask<ModbusResult> ReadFileRecordAsync(
        byte unitId, ushort file, ushort record, Memory<byte> destination, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="data"/> into <paramref name="file"/> from <paramref name="record"/> on (function code 21,
    /// one sub-request, §6.15); the slave's echo is checked byte for byte.
    /// </summary>
    /// <exception cref="ArgumentException">An odd or empty data, more than 244 bytes, file 0, or records past 9999.</exception>
    ValueTask<ModbusResult> WriteFileRecordAsync(
        byte unitId, ushort file, ushort record, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
