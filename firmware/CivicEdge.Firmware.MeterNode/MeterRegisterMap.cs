using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Firmware.MeterNode;

/// <summary>
/// The node's Modbus registers, as hardware/profiles/civicedge-meter-node.yaml describes them to a gateway. The totals
/// follow the layout common to Modbus water meters (generic-water-meter): 8 BCD digits of litres in two registers, as a
/// mechanical register shows them, so a reading can be checked against the dial. Holding and input registers serve the
/// same image; only the pulse weight and the meter number are writable.
/// </summary>
/// <remarks>
/// 0x0000–01 forward volume (BCD litres) · 0x0002–03 reverse volume (BCD litres) · 0x0004–05 flow (int32, L/h,
/// negative in reverse) · 0x0007 alarm word (bit 2 reverse flow, 3 leak, 4 magnet, 5 cable cut) · 0x0008 quadrature
/// errors · 0x0009 magnet events · 0x000A cable-cut events · 0x0010–13 meter number (ASCII, high byte first) ·
/// 0x0020–21 forward pulses · 0x0022–23 reverse pulses (uint32) · 0x0030–31 pulse weight in mL (uint32; written as a
/// pair with function 16, taking effect when the low word at 0x0031 arrives).
/// </remarks>
public sealed class MeterRegisterMap : IModbusDataModel
{
    /// <summary>Registers served, from address 0.</summary>
    public const int Length = 0x32;

    public const int ForwardVolume = 0x0000;
    public const int ReverseVolume = 0x0002;
    public const int Flow = 0x0004;
    public const int AlarmWord = 0x0007;
    public const int QuadratureErrorCount = 0x0008;
    public const int MagnetEventCount = 0x0009;
    public const int CableCutEventCount = 0x000A;
    public const int MeterNumber = 0x0010;
    public const int ForwardPulseCount = 0x0020;
    public const int ReversePulseCount = 0x0022;
    public const int PulseWeight = 0x0030;

    public const int ReverseFlowBit = 1 << 2;
    public const int LeakBit = 1 << 3;
    public const int MagnetBit = 1 << 4;
    public const int CableCutBit = 1 << 5;

    private const uint LitresWrap = 100000000;

    private readonly MeterNode _node;
    private readonly ushort[] _image = new ushort[Length];
    private readonly object _gate = new object();
    private int _pendingWeightHigh = -1;

    public MeterRegisterMap(MeterNode node)
    {
        _node = node;
    }

    /// <summary>Copies the node's present state into the registers (once per main-loop pass).</summary>
    public void Refresh()
    {
        MeterState state = _node.State;
        lock (_gate)
        {
            PutBcd(ForwardVolume, (uint)(state.ForwardMillilitres / 1000 % LitresWrap));
            PutBcd(ReverseVolume, (uint)(state.ReverseMillilitres / 1000 % LitresWrap));
            Put32(Flow, (uint)_node.FlowLitresPerHour);
            int alarms = 0;
            alarms |= state.Has(MeterState.ReverseFlowFlag) ? ReverseFlowBit : 0;
            alarms |= state.Has(MeterState.LeakFlag) ? LeakBit : 0;
            alarms |= state.Has(MeterState.MagnetFlag) ? MagnetBit : 0;
            alarms |= state.Has(MeterState.CableCutFlag) ? CableCutBit : 0;
            _image[AlarmWord] = (ushort)alarms;
            _image[QuadratureErrorCount] = (ushort)_node.QuadratureErrors;
            _image[MagnetEventCount] = (ushort)state.MagnetEvents;
            _image[CableCutEventCount] = (ushort)state.CableCutEvents;
            for (int i = 0; i < 4; i++)
            {
                _image[MeterNumber + i] = (ushort)((state.MeterNumber[2 * i] << 8) | state.MeterNumber[(2 * i) + 1]);
            }

            Put32(ForwardPulseCount, state.ForwardPulses);
            Put32(ReversePulseCount, state.ReversePulses);
            Put32(PulseWeight, state.PulseWeightMillilitres);
        }
    }

    public ModbusExceptionCode ReadBits(bool coils, int address, int count, bool[] into) =>
        ModbusExceptionCode.IllegalDataAddress;

    public ModbusExceptionCode ReadRegisters(bool holding, int address, int count, ushort[] into)
    {
        if (address < 0 || count < 1 || address + count > Length)
        {
            return ModbusExceptionCode.IllegalDataAddress;
        }

        lock (_gate)
        {
            for (int i = 0; i < count; i++)
            {
                into[i] = _image[address + i];
            }
        }

        return ModbusExceptionCode.None;
    }

    public ModbusExceptionCode WriteCoil(int address, bool value) => ModbusExceptionCode.IllegalDataAddress;

    public ModbusExceptionCode WriteRegister(int address, ushort value)
    {
        if (address == PulseWeight)
        {
            _pendingWeightHigh = value;
            return ModbusExceptionCode.None;
        }

        if (address == PulseWeight + 1)
        {
            if (_pendingWeightHigh < 0)
            {
                // The low word alone would combine with whatever high word the map last showed: refuse rather than guess.
                return ModbusExceptionCode.IllegalDataValue;
            }

            uint weight = ((uint)_pendingWeightHigh << 16) | value;
            _pendingWeightHigh = -1;
            if (!_node.SetPulseWeight(weight))
            {
                return ModbusExceptionCode.IllegalDataValue;
            }

            Refresh();
            return ModbusExceptionCode.None;
        }

        if (address >= MeterNumber && address < MeterNumber + 4)
        {
            int index = 2 * (address - MeterNumber);
            _node.State.MeterNumber[index] = (byte)(value >> 8);
            _node.State.MeterNumber[index + 1] = (byte)value;
            _node.CommitMeterNumber();
            Refresh();
            return ModbusExceptionCode.None;
        }

        return ModbusExceptionCode.IllegalDataAddress;
    }

    private void PutBcd(int address, uint value)
    {
        uint bcd = 0;
        for (int shift = 0; shift < 32; shift += 4)
        {
            bcd |= (value % 10) << shift;
            value /= 10;
        }

        Put32(address, bcd);
    }

    private void Put32(int address, uint value)
    {
        _image[address] = (ushort)(value >> 16);
        _image[address + 1] = (ushort)value;
    }
}
