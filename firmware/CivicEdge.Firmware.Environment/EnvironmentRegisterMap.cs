using CivicEdge.Firmware.Core.Modbus;

namespace CivicEdge.Firmware.Environment;

/// <summary>
/// The station's Modbus registers, as hardware/profiles/civicedge-environment-station.yaml describes them: for every
/// quantity the last completed window's mean, minimum, maximum and sample count, the latest samples, which sensors are
/// silent and how many reads each has failed. Values are signed 16-bit tenths of the quantity's unit (PM in tenths of
/// µg/m³ too, so every value block scales alike); a value with no sample behind it reads 0x8000 (-3276.8), which no
/// quantity can take. Holding and input registers serve the same image; nothing is writable.
/// </summary>
/// <remarks>
/// Quantity q (0 temperature, 1 humidity, 2 PM2.5, 3 PM10, 4 noise, 5 wind speed, 6 wind direction, 7 pressure):
/// 4q mean, 4q+1 min, 4q+2 max, 4q+3 samples in the window; 0x0020+q latest sample; 0x0028 silent sensors (bit i for
/// the i-th sensor configured); 0x0029 windows completed (wrapping); 0x002A window length in seconds; 0x0030+i failed
/// reads of sensor i. Wind direction has no minimum or maximum (they read 0x8000).
/// </remarks>
public sealed class EnvironmentRegisterMap : IModbusDataModel
{
    public const int Length = 0x38;
    public const int Latest = 0x0020;
    public const int SilentSensors = 0x0028;
    public const int WindowsCompleted = 0x0029;
    public const int WindowLength = 0x002A;
    public const int FailedReads = 0x0030;

    /// <summary>What a register with no value behind it reads.</summary>
    public const ushort NoValue = 0x8000;

    private readonly EnvironmentStation _station;
    private readonly ushort[] _image = new ushort[Length];
    private readonly object _gate = new object();

    public EnvironmentRegisterMap(EnvironmentStation station)
    {
        _station = station;
    }

    /// <summary>First register of <paramref name="quantity"/>'s window block.</summary>
    public static int WindowBlock(Quantity quantity) => 4 * (int)quantity;

    /// <summary>Copies the station's present state into the registers.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            for (int q = 0; q < EnvironmentStation.QuantityCount; q++)
            {
                WindowStatistics channel = _station.Channels[q];
                bool any = channel.Samples > 0;
                bool direction = channel.Quantity == Quantity.WindDirection;
                _image[4 * q] = any ? Tenths(channel.Mean) : NoValue;
                _image[(4 * q) + 1] = any && !direction ? Tenths(channel.Min) : NoValue;
                _image[(4 * q) + 2] = any && !direction ? Tenths(channel.Max) : NoValue;
                _image[(4 * q) + 3] = (ushort)channel.Samples;
                _image[Latest + q] = channel.HasLatest ? Tenths(channel.Latest) : NoValue;
            }

            int silent = 0;
            for (int i = 0; i < _station.SensorCount; i++)
            {
                Sensor sensor = _station.SensorAt(i);
                if (sensor.Silent)
                {
                    silent |= 1 << i;
                }

                _image[FailedReads + i] = (ushort)(sensor.FailedReads > 0xFFFF ? 0xFFFF : sensor.FailedReads);
            }

            _image[SilentSensors] = (ushort)silent;
            _image[WindowsCompleted] = (ushort)_station.WindowsCompleted;
            _image[WindowLength] = (ushort)_station.WindowSeconds;
        }
    }

    public ModbusExceptionCode ReadBits(bool coils, int address, int count, bool[] into) => ModbusExceptionCode.IllegalDataAddress;

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

    public ModbusExceptionCode WriteRegister(int address, ushort value) => ModbusExceptionCode.IllegalDataAddress;

    private static ushort Tenths(double value)
    {
        double scaled = value * 10;
        scaled = scaled >= 0 ? scaled + 0.5 : scaled - 0.5;
        if (scaled > 32767)
        {
            scaled = 32767;
        }

        if (scaled < -32767)
        {
            scaled = -32767;
        }

        return (ushort)(short)scaled;
    }
}
