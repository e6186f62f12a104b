using System;

namespace CivicEdge.Firmware.Environment;

/// <summary>
/// Mean, minimum and maximum of one quantity over a reporting window, kept as running sums so a window of any length
/// costs the same few fields. Sound levels are averaged as energy (the equivalent continuous level Leq of
/// IEC 61672-1: 10·lg of the mean of 10^(L/10)), since the mean of decibel numbers understates loud moments; wind
/// direction is averaged as a unit vector (WMO-No. 8, Vol. I, §5.1), since the mean of 350° and 10° is north, not south.
/// </summary>
public sealed class WindowStatistics
{
    private const double DegreesToRadians = Math.PI / 180;

    private int _count;
    private double _sum;
    private double _sumSin;
    private double _sumCos;
    private double _min;
    private double _max;

    public WindowStatistics(Quantity quantity)
    {
        Quantity = quantity;
    }

    public Quantity Quantity { get; }

    /// <summary>The last sample taken, in the quantity's unit; valid once <see cref="HasLatest"/>.</summary>
    public double Latest { get; private set; }

    public bool HasLatest { get; private set; }

    /// <summary>Statistics of the last completed window; meaningful only when <see cref="Samples"/> is above zero.</summary>
    public double Mean { get; private set; }

    public double Min { get; private set; }

    public double Max { get; private set; }

    /// <summary>How many samples the last completed window had; 0 when its sensors were silent all window.</summary>
    public int Samples { get; private set; }

    /// <summary>Samples taken so far in the open window.</summary>
    public int PendingSamples => _count;

    public void Add(double value)
    {
        if (_count == 0 || value < _min)
        {
            _min = value;
        }

        if (_count == 0 || value > _max)
        {
            _max = value;
        }

        if (Quantity == Quantity.WindDirection)
        {
            _sumSin += Math.Sin(value * DegreesToRadians);
            _sumCos += Math.Cos(value * DegreesToRadians);
        }
        else if (Quantity == Quantity.Noise)
        {
            _sum += Math.Pow(10, value / 10);
        }
        else
        {
            _sum += value;
        }

        _count++;
        Latest = value;
        HasLatest = true;
    }

    /// <summary>Ends the window: its statistics become <see cref="Mean"/>, <see cref="Min"/> and <see cref="Max"/>, and a new window starts empty.</summary>
    public void Close()
    {
        Samples = _count;
        if (_count > 0)
        {
            Min = _min;
            Max = _max;
            if (Quantity == Quantity.WindDirection)
            {
                double degrees = Math.Atan2(_sumSin, _sumCos) / DegreesToRadians;
                Mean = degrees < 0 ? degrees + 360 : degrees;
            }
            else if (Quantity == Quantity.Noise)
            {
                Mean = 10 * Math.Log10(_sum / _count);
            }
            else
            {
                Mean = _sum / _count;
            }
        }

        _count = 0;
        _sum = 0;
        _sumSin = 0;
        _sumCos = 0;
    }
}
