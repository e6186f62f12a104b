using System;
using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Firmware.Pole.Metering;

/// <summary>
/// Reads a billing-grade energy meter on the pole's RS-485 bus as Modbus master (MQTT mode, where the bus is the
/// pole's own): Eastron SDM120 / SDM630 input registers, IEEE 754 float32 high word first — 0x0000 voltage (L1),
/// 0x0006 current (L1), 0x000C active power (L1; the SDM120's only phase), 0x0048 import active energy (kWh), as
/// hardware/profiles/eastron-sdm630.yaml maps them. Two requests per reading, buffers allocated once.
/// </summary>
public sealed class EnergyMeterReader
{
    private readonly ModbusRtuMaster _master;
    private readonly byte _unit;
    private readonly ushort[] _phase = new ushort[14];
    private readonly ushort[] _energy = new ushort[2];
    private readonly byte[] _float = new byte[4];

    public EnergyMeterReader(ModbusRtuMaster master, byte unit)
    {
        _master = master;
        _unit = unit;
    }

    public double Voltage { get; private set; }

    public double Current { get; private set; }

    public double ActivePower { get; private set; }

    /// <summary>Import active energy, kWh, as the meter counts it.</summary>
    public double ImportEnergy { get; private set; }

    /// <summary>Readings that failed (timeout, CRC, exception) since boot.</summary>
    public long Failures { get; private set; }

    /// <summary>Failed readings in a row; 0 after a good one.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Why the last reading failed, as the master says.</summary>
    public string LastFailure { get; private set; }

    /// <summary>Reads the meter; false (counted) when it did not answer properly.</summary>
    public bool TryRead()
    {
        if (_master.ReadInputRegisters(_unit, 0x0000, _phase.Length, _phase) != ModbusMasterStatus.Ok ||
            _master.ReadInputRegisters(_unit, 0x0048, _energy.Length, _energy) != ModbusMasterStatus.Ok)
        {
            Failures++;
            ConsecutiveFailures++;
            LastFailure = _master.LastFailure;
            return false;
        }

        Voltage = Float(_phase, 0);
        Current = Float(_phase, 6);
        ActivePower = Float(_phase, 12);
        ImportEnergy = Float(_energy, 0);
        ConsecutiveFailures = 0;
        return true;
    }

    private double Float(ushort[] registers, int offset)
    {
        // High word first (ABCD); BitConverter reads the little-endian bytes of both the ESP32 and the host.
        _float[3] = (byte)(registers[offset] >> 8);
        _float[2] = (byte)registers[offset];
        _float[1] = (byte)(registers[offset + 1] >> 8);
        _float[0] = (byte)registers[offset + 1];
        return BitConverter.ToSingle(_float, 0);
    }
}
