using CivicEdge.Protocols.Modbus;

namespace CivicEdge.Modbus;

/// <summary>
/// A Modbus client (master) on one link: a TCP connection, an RTU serial bus or an RTU-over-TCP converter.
/// Implementations are safe to call concurrently; a half-duplex link serializes the transactions itself.
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
    ValueTask<ModbusResult> WriteRegistersAsync(
        byte unitId, ushort address, ReadOnlyMemory<ushort> values, CancellationToken cancellationToken);
}
