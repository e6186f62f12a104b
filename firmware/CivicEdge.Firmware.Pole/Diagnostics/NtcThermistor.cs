using System;
using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.Pole.Diagnostics;

/// <summary>
/// The driver's NTC thermistor, from the supply rail through a series resistor to the pin and through the NTC to ground;
/// temperature by the beta equation 1/T = 1/T0 + ln(R/R0)/B (T0 = 25 °C). Averages a few conversions against ADC noise.
/// </summary>
public sealed class NtcThermistor
{
    private const int Conversions = 8;
    private const double KelvinAt25Celsius = 298.15;

    private readonly IAnalogInput _adc;
    private readonly double _seriesOhms;
    private readonly double _nominalOhms;
    private readonly double _beta;

    public NtcThermistor(IAnalogInput adc, double seriesOhms, double nominalOhms, double beta)
    {
        _adc = adc;
        _seriesOhms = seriesOhms;
        _nominalOhms = nominalOhms;
        _beta = beta;
    }

    /// <summary>Temperature in °C; false when the reading is at a rail (thermistor open or shorted).</summary>
    public bool TryReadCelsius(out double celsius)
    {
        celsius = 0;
        var sum = 0;
        for (var i = 0; i < Conversions; i++)
        {
            sum += _adc.ReadRaw();
        }

        var raw = sum / (double)Conversions;
        if (raw <= 0.5 || raw >= _adc.MaxValue - 0.5)
        {
            return false;
        }

        var ohms = _seriesOhms * raw / (_adc.MaxValue - raw);
        var kelvin = 1.0 / ((1.0 / KelvinAt25Celsius) + (Math.Log(ohms / _nominalOhms) / _beta));
        celsius = kelvin - 273.15;
        return true;
    }
}
