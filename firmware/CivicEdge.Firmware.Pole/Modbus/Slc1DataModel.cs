using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Firmware.Pole.Modbus;

/// <summary>
/// The controller's state as the SLC-1 register map (hardware/profiles/civicedge-slc1.yaml), exactly: coil 0 the relay;
/// input registers 0–9 voltage, current, power, energy (uint32), status word, burning hours (uint32), power factor,
/// driver temperature; holding register 0 the dimming set-point, 0x0100–0x0107 the serial number, 0x0108–0x010B the
/// firmware version. 32-bit values are high word first (order ABCD), text two ASCII characters per register, first in
/// the high byte. Writing the relay coil or the set-point is a gateway command: it holds for the configured override
/// time, then the schedule resumes. Anything else is an illegal data address (Modbus Application Protocol §7).
/// </summary>
public sealed class Slc1DataModel : IModbusDataModel
{
    private const int InputRegisterCount = 10;
    private const int SerialAddress = 0x0100;
    private const int SerialRegisters = 8;
    private const int VersionAddress = 0x0108;
    private const int VersionRegisters = 4;

    /// <summary>Served when the board has no driver temperature sensor: −3276.8 °C, outside the profile's range, so a gateway flags it.</summary>
    private const int NoTemperature = 0x8000;

    private readonly PoleController _controller;

    public Slc1DataModel(PoleController controller)
    {
        _controller = controller;
    }

    public ModbusExceptionCode ReadBits(bool coils, int address, int count, bool[] into)
    {
        if (!coils || count < 1 || address != 0 || count > 1)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        into[0] = _controller.Output.RelayOn;
        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode ReadRegisters(bool holding, int address, int count, ushort[] into)
    {
        if (count < 1)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        for (var i = 0; i < count; i++)
        {
            int value;
            var known = holding ? TryHolding(address + i, out value) : TryInput(address + i, out value);
            if (!known)
            {
                return ModbusExceptionCode.IllegalDataAddress;
            }

            into[i] = (ushort)value;
        }

        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode WriteCoil(int address, bool value)
    {
        if (address != 0)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        if (!value)
        {
            _controller.Command(0);
            return ModbusExceptionCode.None;
        }

        var level = _controller.SetPoint;
        _controller.Command(level > 0 ? level : 100);
        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode WriteRegister(int address, ushort value)
    {
        if (address != 0)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        if (value > 100)
        {
            return ModbusExceptionCode.IllegalDataValue;
        }

        _controller.Command(value);
        return ModbusExceptionCode.None;
    }

    private bool TryInput(int address, out int value)
    {
        var mains = _controller.Mains;
        switch (address)
        {
            case 0:
                value = Scaled(mains.VoltageRms, 10);
                return true;
            case 1:
                value = Scaled(mains.CurrentRms, 1000);
                return true;
            case 2:
                value = Scaled(mains.ActivePower, 10);
                return true;
            case 3:
                value = (int)(EnergyHundredthsOfKilowattHour() >> 16);
                return true;
            case 4:
                value = (int)(EnergyHundredthsOfKilowattHour() & 0xFFFF);
                return true;
            case 5:
                value = StatusWord();
                return true;
            case 6:
                value = (int)((_controller.Counters.BurningHours >> 16) & 0xFFFF);
                return true;
            case 7:
                value = (int)(_controller.Counters.BurningHours & 0xFFFF);
                return true;
            case 8:
                value = Scaled(mains.PowerFactor, 1000);
                return true;
            case 9:
                value = _controller.HasDriverTemperature ? SignedTenths(_controller.DriverTemperature) : NoTemperature;
                return true;
            default:
                value = 0;
                return address >= 0 && address < InputRegisterCount;
        }
    }

    private bool TryHolding(int address, out int value)
    {
        value = 0;
        if (address == 0)
        {
            value = _controller.SetPoint;
            return true;
        }

        if (address >= SerialAddress && address < SerialAddress + SerialRegisters)
        {
            value = TextRegister(_controller.Settings.SerialNumber, address - SerialAddress);
            return true;
        }

        if (address >= VersionAddress && address < VersionAddress + VersionRegisters)
        {
            value = TextRegister(PoleController.FirmwareVersion, address - VersionAddress);
            return true;
        }

        return false;
    }

    private int StatusWord()
    {
        var status = 0;
        if (_controller.LampLit)
        {
            status |= 1;
        }

        if (_controller.LampFailed)
        {
            status |= 1 << 1;
        }

        if (_controller.DriverOvertemperature)
        {
            status |= 1 << 2;
        }

        if (_controller.RelayFaulty)
        {
            status |= 1 << 3;
        }

        return status | ((int)_controller.Mode << 4);
    }

    private long EnergyHundredthsOfKilowattHour()
    {
        // Register unit 0.01 kWh = 10 Wh; the uint32 wraps after 42.9 GWh, as a meter register does.
        return ((long)(_controller.Counters.EnergyWattHours / 10.0)) & 0xFFFFFFFFL;
    }

    private static int Scaled(double value, double perUnit)
    {
        var raw = (long)((value * perUnit) + 0.5);
        return raw < 0 ? 0 : (raw > 0xFFFF ? 0xFFFF : (int)raw);
    }

    private static int SignedTenths(double value)
    {
        var raw = (long)(value * 10.0 + (value < 0 ? -0.5 : 0.5));
        raw = raw < -32767 ? -32767 : (raw > 32767 ? 32767 : raw);
        return (int)raw & 0xFFFF;
    }

    private static int TextRegister(string text, int register)
    {
        var first = register * 2;
        var high = first < text.Length ? text[first] & 0x7F : 0;
        var low = first + 1 < text.Length ? text[first + 1] & 0x7F : 0;
        return (high << 8) | low;
    }
}
