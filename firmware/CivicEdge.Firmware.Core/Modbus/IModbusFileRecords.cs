namespace CivicEdge.Firmware.Core.Modbus;

/// <summary>
/// What a device serves through Read File Record (function 20) and Write File Record (function 21): files of
/// records, each record one 16-bit register (Modbus Application Protocol v1.1b3, §6.14, §6.15). File numbers are
/// 1..65535 and record numbers 0..9999 (0x270F); the bytes of a record travel high byte first. Each call answers
/// <see cref="ModbusExceptionCode.None"/> or the exception the slave sends back.
/// </summary>
public interface IModbusFileRecords
{
    /// <summary>Fills <paramref name="into"/>[<paramref name="index"/>..] with <paramref name="records"/> records (2 bytes each) of a file from <paramref name="record"/> on.</summary>
    ModbusExceptionCode ReadRecords(int file, int record, int records, byte[] into, int index);

    /// <summary>Writes <paramref name="records"/> records (2 bytes each) of <paramref name="data"/> from <paramref name="index"/> into a file from <paramref name="record"/> on.</summary>
    ModbusExceptionCode WriteRecords(int file, int record, int records, byte[] data, int index);
}
