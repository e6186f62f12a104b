using CivicEdge.Firmware.Core.Modbus;
using CivicEdge.Firmware.Environment.Tests.Support;
using CivicEdge.Firmware.Host;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Environment.Tests;

[Category("Unit")]
public sealed class EnvironmentStationTests
{
    private const int ShutterUnit = 1;
    private const int ThermometerUnit = 2;

    private static readonly EnvironmentStationConfiguration TenSecondsInAMinute = new() { SampleIntervalMilliseconds = 10_000, WindowSeconds = 60 };

    private FakeTimeProvider _time = null!;
    private FakeSensorBus _bus = null!;

    [SetUp]
    public void NewBus()
    {
        _time = new FakeTimeProvider();
        _bus = new FakeSensorBus();
    }

    [Test]
    public void A_negative_temperature_in_twos_complement_reads_below_zero()
    {
        // rs485-temperature-humidity manual: 0xFF9B is -10.1 °C; 0x0292 is 65.8 %RH.
        _bus.Set(ThermometerUnit, 0x0000, 0x0292, 0xFF9B);
        var station = Station(SensorModel.TemperatureHumidity, ThermometerUnit);

        Assert.Multiple(() =>
        {
            Assert.That(station.Channels[(int)Quantity.Temperature].Latest, Is.EqualTo(-10.1).Within(1e-9));
            Assert.That(station.Channels[(int)Quantity.Humidity].Latest, Is.EqualTo(65.8).Within(1e-9));
        });
    }

    [Test]
    public void The_weather_shutter_block_from_register_500_fills_every_quantity()
    {
        LoadShutter(windTenths: 34, directionDegrees: 225, temperatureTenths: 215);
        var station = Station(SensorModel.WeatherShutter, ShutterUnit);

        var latest = Enumerable.Range(0, EnvironmentStation.QuantityCount).Select(q => station.Channels[q].Latest).ToArray();

        Assert.That(latest, Is.EqualTo(new[] { 21.5, 55.2, 35, 61, 58.4, 3.4, 225, 101.3 }).Within(1e-9));
    }

    [Test]
    public void A_window_closes_after_its_length_with_one_sample_per_interval()
    {
        LoadShutter(windTenths: 20, directionDegrees: 90, temperatureTenths: 100);
        var station = Station(SensorModel.WeatherShutter, ShutterUnit);

        for (int i = 1; i <= 5; i++)
        {
            LoadShutter(windTenths: 20 + (10 * i), directionDegrees: 90, temperatureTenths: 100);
            Advance(station, 10_000);
        }

        Advance(station, 10_000);
        var wind = station.Channels[(int)Quantity.WindSpeed];

        Assert.Multiple(() =>
        {
            Assert.That(station.WindowsCompleted, Is.EqualTo(1));
            Assert.That(wind.Samples, Is.EqualTo(6));
            Assert.That((wind.Min, wind.Max), Is.EqualTo((2.0, 7.0)));
            Assert.That(wind.Mean, Is.EqualTo(4.5).Within(1e-9));
        });
    }

    [Test]
    public void A_sensor_that_stops_answering_is_marked_silent_after_three_failed_reads_and_clears_when_it_answers()
    {
        LoadShutter(windTenths: 20, directionDegrees: 90, temperatureTenths: 100);
        var station = Station(SensorModel.WeatherShutter, ShutterUnit);
        var sensor = station.SensorAt(0);

        _bus.Silence(ShutterUnit);
        Advance(station, 10_000);
        Advance(station, 10_000);
        bool afterTwo = sensor.Silent;
        Advance(station, 10_000);
        ushort silentWord = ReadOne(station, EnvironmentRegisterMap.SilentSensors);
        _bus.Revive(ShutterUnit);
        Advance(station, 10_000);

        Assert.Multiple(() =>
        {
            Assert.That(afterTwo, Is.False);
            Assert.That(silentWord, Is.EqualTo(1));
            Assert.That(sensor.Silent, Is.False);
            Assert.That(sensor.FailedReads, Is.EqualTo(3));
            Assert.That(sensor.SilentEvents, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_window_in_which_the_sensor_was_silent_throughout_reads_no_value_rather_than_a_stale_one()
    {
        LoadShutter(windTenths: 20, directionDegrees: 90, temperatureTenths: 100);
        var station = Station(SensorModel.WeatherShutter, ShutterUnit);
        Advance(station, 50_000, step: 10_000);

        _bus.Silence(ShutterUnit);
        Advance(station, 70_000, step: 10_000);
        var block = new ushort[4];
        station.Registers.ReadRegisters(holding: true, EnvironmentRegisterMap.WindowBlock(Quantity.Temperature), 4, block);

        Assert.That(block, Is.EqualTo(new ushort[] { EnvironmentRegisterMap.NoValue, EnvironmentRegisterMap.NoValue, EnvironmentRegisterMap.NoValue, 0 }));
    }

    [Test]
    public void The_register_map_serves_the_last_window_in_signed_tenths()
    {
        _bus.Set(ThermometerUnit, 0x0000, 400, unchecked((ushort)-52));
        var station = Station(SensorModel.TemperatureHumidity, ThermometerUnit);
        Advance(station, 60_000, step: 10_000);
        var block = new ushort[4];

        var outcome = station.Registers.ReadRegisters(holding: false, EnvironmentRegisterMap.WindowBlock(Quantity.Temperature), 4, block);

        Assert.Multiple(() =>
        {
            Assert.That(outcome, Is.EqualTo(ModbusExceptionCode.None));
            Assert.That(block.Select(r => (short)r), Is.EqualTo(new short[] { -52, -52, -52, 6 }));
            Assert.That(ReadOne(station, EnvironmentRegisterMap.WindowLength), Is.EqualTo(60));
        });
    }

    [Test]
    public void Reading_past_the_map_or_writing_answers_with_an_exception()
    {
        var station = Station(SensorModel.Noise, 3);

        Assert.Multiple(() =>
        {
            Assert.That(station.Registers.ReadRegisters(true, EnvironmentRegisterMap.Length - 1, 2, new ushort[2]), Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
            Assert.That(station.Registers.WriteRegister(0, 1), Is.EqualTo(ModbusExceptionCode.IllegalDataAddress));
        });
    }

    [Test]
    public void A_ninth_sensor_is_refused_with_the_limit_named()
    {
        var station = new EnvironmentStation(TenSecondsInAMinute, new SimulatedClock(_time), _bus);
        for (int unit = 1; unit <= 8; unit++)
            station.AddSensor(SensorModel.Noise, unit);

        var error = Assert.Throws<ArgumentException>(() => station.AddSensor(SensorModel.Noise, 9));

        Assert.That(error!.Message, Does.Contain("at most 8").And.Contain("unit 9"));
    }

    private EnvironmentStation Station(SensorModel model, int unit)
    {
        var station = new EnvironmentStation(TenSecondsInAMinute, new SimulatedClock(_time), _bus);
        station.AddSensor(model, unit);
        station.Start();
        return station;
    }

    private void Advance(EnvironmentStation station, int milliseconds, int step = 1000)
    {
        for (int elapsed = 0; elapsed < milliseconds; elapsed += step)
        {
            _time.Advance(TimeSpan.FromMilliseconds(step));
            station.Poll();
        }
    }

    private static ushort ReadOne(EnvironmentStation station, int address)
    {
        var value = new ushort[1];
        station.Registers.ReadRegisters(true, address, 1, value);
        return value[0];
    }

    private void LoadShutter(int windTenths, int directionDegrees, int temperatureTenths) =>
        // rs485-weather-shutter: wind speed, force, sector, degrees, humidity, temperature, noise, PM2.5, PM10, pressure.
        _bus.Set(ShutterUnit, 0x01F4, (ushort)windTenths, 3, (ushort)(directionDegrees / 45), (ushort)directionDegrees, 552,
            unchecked((ushort)temperatureTenths), 584, 35, 61, 1013);
}
