namespace CivicEdge.Firmware.Environment;

/// <summary>
/// The station's side of the RS-485 sensor bus: a Modbus master that reads holding registers (function 03). Timeouts,
/// CRC errors and exception responses all come back as false; the station only needs to know that a sensor did not
/// answer with data.
/// </summary>
public interface IRegisterReader
{
    /// <summary>Reads <paramref name="count"/> holding registers from <paramref name="unit"/> into <paramref name="into"/>[0..count).</summary>
    bool TryReadHoldingRegisters(int unit, int address, int count, ushort[] into);
}
