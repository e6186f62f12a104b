namespace CivicEdge.Firmware.Core.Modbus;

/// <summary>
/// What a device serves as a Modbus slave: its coils, discrete inputs, input and holding registers (Modbus Application
/// Protocol v1.1b3, §4.3 data model). The slave's framing and function codes live in the core; each application maps
/// its state onto these four tables, e.g. the pole controller onto the SLC-1 register map in hardware/profiles.
/// Each call answers with <see cref="ModbusExceptionCode.None"/> or the exception the slave sends back.
/// </summary>
public interface IModbusDataModel
{
    /// <summary>Fills <paramref name="into"/>[0..count) from the coils (<paramref name="coils"/> true) or discrete inputs.</summary>
    ModbusExceptionCode ReadBits(bool coils, int address, int count, bool[] into);

    /// <summary>Fills <paramref name="into"/>[0..count) from the holding registers (<paramref name="holding"/> true) or input registers.</summary>
    ModbusExceptionCode ReadRegisters(bool holding, int address, int count, ushort[] into);

    /// <summary>Writes one coil (function 05, and each coil of function 15).</summary>
    ModbusExceptionCode WriteCoil(int address, bool value);

    /// <summary>Writes one holding register (function 06, and each register of function 16).</summary>
    ModbusExceptionCode WriteRegister(int address, ushort value);
}
