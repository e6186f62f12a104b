using System;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Pole.Settings;

namespace CivicEdge.Firmware.Pole.Metering;

/// <summary>
/// Measures the lamp's supply from two ADC channels biased at mid-rail (voltage through a divider or transformer,
/// current through a current transformer and burden): samples them in pairs from one rising zero crossing of the
/// voltage to the crossing <see cref="PoleSettings.MeasurementCycles"/> cycles later, so RMS and mean power are taken
/// over whole mains cycles whatever the sampling rate (a window cut mid-cycle biases RMS by up to a few percent).
/// The bias is the window's mean, which over whole cycles is exact. Active power is the mean of v·i, power factor
/// P / (Vrms·Irms). Without mains (no crossing) it measures a fixed window, which reads near zero.
/// </summary>
public sealed class MainsSampler
{
    /// <summary>The most sample pairs one measurement takes (bounds a main-loop pass when the voltage is missing).</summary>
    public const int MaxSamplePairs = 4000;

    private const int FallbackSamplePairs = 256;

    private readonly IAnalogInput _voltage;
    private readonly IAnalogInput _current;
    private readonly PoleSettings _settings;
    private readonly double _hysteresis;
    private double _voltageBias;
    private double _sumV;
    private double _sumI;
    private double _sumVV;
    private double _sumII;
    private double _sumVI;
    private int _pairs;
    private int _lastV;
    private int _lastI;

    public MainsSampler(IAnalogInput voltage, IAnalogInput current, PoleSettings settings)
    {
        _voltage = voltage;
        _current = current;
        _settings = settings;
        _voltageBias = voltage.MaxValue / 2.0;

        // 2 % of full scale: the noise of an ESP32 ADC stays well inside it, the mains wave crosses it every cycle.
        _hysteresis = voltage.MaxValue * 0.02;
    }

    /// <summary>Supply voltage, V RMS.</summary>
    public double VoltageRms { get; private set; }

    /// <summary>Lamp current, A RMS.</summary>
    public double CurrentRms { get; private set; }

    /// <summary>Active power, W.</summary>
    public double ActivePower { get; private set; }

    /// <summary>Power factor, 0..1 (0 when no current flows).</summary>
    public double PowerFactor { get; private set; }

    /// <summary>Whole cycles in the last measurement (0: no mains crossing was found).</summary>
    public int Cycles { get; private set; }

    /// <summary>Sample pairs in the last measurement.</summary>
    public int SamplePairs => _pairs;

    /// <summary>Takes one measurement.</summary>
    public void Measure()
    {
        ClearSums();
        var cyclesWanted = _settings.MeasurementCycles;
        var budget = MaxSamplePairs;
        Cycles = 0;
        if (FindRisingCrossing(ref budget))
        {
            var armed = false;
            while (budget > 0)
            {
                Add(_lastV, _lastI);
                ReadPair();
                budget--;
                if (_lastV < _voltageBias - _hysteresis)
                {
                    armed = true;
                }
                else if (armed && _lastV >= _voltageBias)
                {
                    armed = false;
                    Cycles++;
                    if (Cycles == cyclesWanted)
                    {
                        break;
                    }
                }
            }
        }

        if (Cycles == 0)
        {
            ClearSums();
            for (var k = 0; k < FallbackSamplePairs; k++)
            {
                ReadPair();
                Add(_lastV, _lastI);
            }
        }

        Compute();
    }

    private bool FindRisingCrossing(ref int budget)
    {
        var armed = false;
        while (budget > 0)
        {
            ReadPair();
            budget--;
            if (_lastV < _voltageBias - _hysteresis)
            {
                armed = true;
            }
            else if (armed && _lastV >= _voltageBias)
            {
                return true;
            }
        }

        return false;
    }

    private void ReadPair()
    {
        _lastV = _voltage.ReadRaw();
        _lastI = _current.ReadRaw();
    }

    private void Add(int v, int i)
    {
        _sumV += v;
        _sumI += i;
        _sumVV += (double)v * v;
        _sumII += (double)i * i;
        _sumVI += (double)v * i;
        _pairs++;
    }

    private void ClearSums()
    {
        _sumV = 0;
        _sumI = 0;
        _sumVV = 0;
        _sumII = 0;
        _sumVI = 0;
        _pairs = 0;
    }

    private void Compute()
    {
        var n = (double)_pairs;
        var meanV = _sumV / n;
        var meanI = _sumI / n;
        var varianceV = (_sumVV / n) - (meanV * meanV);
        var varianceI = (_sumII / n) - (meanI * meanI);
        var covariance = (_sumVI / n) - (meanV * meanI);
        var voltsPerCountV = _voltage.ReferenceVoltage / _voltage.MaxValue * _settings.VoltageScale;
        var ampsPerCount = _current.ReferenceVoltage / _current.MaxValue * _settings.CurrentScale;
        VoltageRms = varianceV > 0 ? Math.Sqrt(varianceV) * voltsPerCountV : 0;
        CurrentRms = varianceI > 0 ? Math.Sqrt(varianceI) * ampsPerCount : 0;

        // A current transformer mounted the other way round only flips the sign: the lamp never feeds the grid.
        ActivePower = Math.Abs(covariance * voltsPerCountV * ampsPerCount);
        var apparent = VoltageRms * CurrentRms;
        PowerFactor = apparent > 0.5 ? (ActivePower >= apparent ? 1.0 : ActivePower / apparent) : 0;
        if (Cycles > 0)
        {
            _voltageBias = meanV;
        }
    }
}
