namespace CivicEdge.Firmware.Environment.Tests.Support;

/// <summary>
/// An RS-485 bus of transmitters, each a small holding-register file loaded with values from its datasheet. A unit
/// can be made silent (unplugged, dead) and answers again when told.
/// </summary>
internal sealed class FakeSensorBus : IRegisterReader
{
    private readonly Dictionary<int, Dictionary<int, ushort>> _units = [];
    private readonly HashSet<int> _silent = [];

    public int Requests { get; private set; }

    public void Set(int unit, int address, params ushort[] values)
    {
        if (!_units.TryGetValue(unit, out var registers))
            _units[unit] = registers = [];
        for (int i = 0; i < values.Length; i++)
            registers[address + i] = values[i];
    }

    public void Silence(int unit) => _silent.Add(unit);

    public void Revive(int unit) => _silent.Remove(unit);

    public bool TryReadHoldingRegisters(int unit, int address, int count, ushort[] into)
    {
        Requests++;
        if (_silent.Contains(unit) || !_units.TryGetValue(unit, out var registers))
            return false;
        for (int i = 0; i < count; i++)
        {
            if (!registers.TryGetValue(address + i, out into[i]))
                return false;
        }

        return true;
    }
}
