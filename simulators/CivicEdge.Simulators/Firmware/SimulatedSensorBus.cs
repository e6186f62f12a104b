using CivicEdge.Firmware.Environment;
using CivicEdge.Protocols.Modbus;
using CivicEdge.Simulators.Devices;

namespace CivicEdge.Simulators.Firmware;

/// <summary>
/// The environment station's RS-485 bus with simulated transmitters on it, each served from its hardware profile
/// (rs485-weather-shutter, rs485-temperature-humidity, ...) by the same models <c>civicsim modbus</c> uses. A
/// transmitter can be silenced (unplugged, dead) and brought back; a silent one times out like a real one.
/// </summary>
public sealed class SimulatedSensorBus : IRegisterReader
{
    private readonly Dictionary<int, SimulatedModbusDevice> _units = [];
    private readonly HashSet<int> _silent = [];

    public void Attach(int unit, SimulatedModbusDevice device) => _units.Add(unit, device);

    public IReadOnlyCollection<int> Units => _units.Keys;

    /// <summary>Makes <paramref name="unit"/> stop (true) or resume (false) answering; false when there is no such unit.</summary>
    public bool Silence(int unit, bool silent)
    {
        if (!_units.ContainsKey(unit))
            return false;
        if (silent)
            _silent.Add(unit);
        else
            _silent.Remove(unit);
        return true;
    }

    /// <summary>Moves every transmitter's physics to the present time of its clock.</summary>
    public void Update()
    {
        foreach (var device in _units.Values)
            device.Update();
    }

    public bool TryReadHoldingRegisters(int unit, int address, int count, ushort[] into)
    {
        if (_silent.Contains(unit) || !_units.TryGetValue(unit, out var device))
            return false;
        if (device.Bank.CheckRead(RegisterTable.HoldingRegisters, (ushort)address, count) != ModbusExceptionCode.None)
            return false;
        device.Bank.Read(RegisterTable.HoldingRegisters, (ushort)address, into.AsSpan(0, count));
        return true;
    }
}
