namespace CivicEdge.Firmware.Environment;

/// <summary>
/// One RS-485 transmitter on the station's bus: where its registers are, how they decode into quantities, and whether
/// it still answers. A sensor that fails <see cref="EnvironmentStationConfiguration.SilentAfterFailures"/> reads in a
/// row is marked silent; its quantities get no samples (so a window shows fewer or none, never stale values) until it
/// answers again.
/// </summary>
public sealed class Sensor
{
    private readonly ushort[] _registers;

    public Sensor(SensorModel model, int unit)
    {
        Model = model;
        Unit = unit;
        switch (model)
        {
            case SensorModel.TemperatureHumidity:
                FirstRegister = 0x0000;
                RegisterCount = 2;
                break;
            case SensorModel.Particulates:
                FirstRegister = 0x0004;
                RegisterCount = 6;
                break;
            case SensorModel.WindDirection:
                FirstRegister = 0x0000;
                RegisterCount = 2;
                break;
            case SensorModel.WeatherShutter:
                FirstRegister = 0x01F4;
                RegisterCount = 10;
                break;
            default:
                FirstRegister = 0x0000;
                RegisterCount = 1;
                break;
        }

        _registers = new ushort[RegisterCount];
    }

    public SensorModel Model { get; }

    /// <summary>Modbus unit address, 1..247.</summary>
    public int Unit { get; }

    public int FirstRegister { get; }

    public int RegisterCount { get; }

    /// <summary>Whether the sensor has stopped answering.</summary>
    public bool Silent { get; private set; }

    /// <summary>Reads that failed in a row.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Reads that failed since start.</summary>
    public int FailedReads { get; private set; }

    /// <summary>How often the sensor went silent.</summary>
    public int SilentEvents { get; private set; }

    /// <summary>Reads the sensor once and adds what it measured to <paramref name="channels"/> (indexed by <see cref="Quantity"/>).</summary>
    public void Sample(IRegisterReader bus, WindowStatistics[] channels, int silentAfterFailures)
    {
        if (!bus.TryReadHoldingRegisters(Unit, FirstRegister, RegisterCount, _registers))
        {
            FailedReads++;
            ConsecutiveFailures++;
            if (!Silent && ConsecutiveFailures >= silentAfterFailures)
            {
                Silent = true;
                SilentEvents++;
            }

            return;
        }

        ConsecutiveFailures = 0;
        Silent = false;
        switch (Model)
        {
            case SensorModel.TemperatureHumidity:
                channels[(int)Quantity.Humidity].Add(_registers[0] / 10.0);
                channels[(int)Quantity.Temperature].Add((short)_registers[1] / 10.0);
                break;
            case SensorModel.Particulates:
                channels[(int)Quantity.Pm25].Add(_registers[0]);
                channels[(int)Quantity.Pm10].Add(_registers[5]);
                break;
            case SensorModel.Noise:
                channels[(int)Quantity.Noise].Add(_registers[0] / 10.0);
                break;
            case SensorModel.WindSpeed:
                channels[(int)Quantity.WindSpeed].Add(_registers[0] / 10.0);
                break;
            case SensorModel.WindDirection:
                channels[(int)Quantity.WindDirection].Add(_registers[1] % 360);
                break;
            case SensorModel.WeatherShutter:
                channels[(int)Quantity.WindSpeed].Add(_registers[0] / 10.0);
                channels[(int)Quantity.WindDirection].Add(_registers[3] % 360);
                channels[(int)Quantity.Humidity].Add(_registers[4] / 10.0);
                channels[(int)Quantity.Temperature].Add((short)_registers[5] / 10.0);
                channels[(int)Quantity.Noise].Add(_registers[6] / 10.0);
                channels[(int)Quantity.Pm25].Add(_registers[7]);
                channels[(int)Quantity.Pm10].Add(_registers[8]);
                channels[(int)Quantity.Pressure].Add(_registers[9] / 10.0);
                break;
        }
    }
}
