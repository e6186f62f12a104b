using System;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Pole.Settings;

namespace CivicEdge.Firmware.Pole.Diagnostics;

/// <summary>
/// Watches the pole's attitude through a tilt switch (high = tilted), an accelerometer, or both: tilted when the switch
/// says so or the angle between gravity now and gravity as installed exceeds the threshold; upright again only below
/// the threshold minus the hysteresis. Both must hold for a few seconds, so wind sway and a passing truck do not count.
/// </summary>
public sealed class TiltMonitor
{
    private const int HoldMilliseconds = 5000;

    private readonly PoleSettings _settings;
    private readonly IDigitalInput _tiltSwitch;
    private readonly Lis3dhAccelerometer _accelerometer;
    private readonly HeldCondition _tilted = new HeldCondition(HoldMilliseconds, HoldMilliseconds, false);
    private bool _accelerometerReady;

    public TiltMonitor(PoleSettings settings, IDigitalInput tiltSwitch, Lis3dhAccelerometer accelerometer)
    {
        _settings = settings;
        _tiltSwitch = tiltSwitch;
        _accelerometer = accelerometer;
    }

    public bool Tilted => _tilted.IsSet;

    /// <summary>Whether the board has an accelerometer (it may still fail to answer: see <see cref="AccelerometerErrors"/>).</summary>
    public bool HasAccelerometer => _accelerometer != null;

    /// <summary>The last angle measured from the installed attitude, degrees (0 without an accelerometer).</summary>
    public double AngleDegrees { get; private set; }

    /// <summary>Accelerometer reads that failed (bus errors, sensor missing).</summary>
    public int AccelerometerErrors { get; private set; }

    /// <summary>Reads the sensors; returns true when <see cref="Tilted"/> changed.</summary>
    public bool Update(long uptimeMilliseconds)
    {
        var tilted = _tiltSwitch != null && _tiltSwitch.Read();
        double x;
        double y;
        double z;
        if (_accelerometer != null && TryMeasure(out x, out y, out z))
        {
            AngleDegrees = AngleFromReference(x, y, z);
            var limit = _tilted.IsSet ? _settings.TiltThresholdDegrees - _settings.TiltHysteresisDegrees : _settings.TiltThresholdDegrees;
            tilted = tilted || AngleDegrees > limit;
        }

        return _tilted.Update(tilted, uptimeMilliseconds);
    }

    /// <summary>Reads gravity now, for the installer to store as the installed attitude; false on a bus error.</summary>
    public bool TryMeasure(out double x, out double y, out double z)
    {
        if (!_accelerometerReady)
        {
            _accelerometerReady = _accelerometer.TryInitialize();
        }

        if (_accelerometerReady && _accelerometer.TryRead(out x, out y, out z))
        {
            return true;
        }

        AccelerometerErrors++;
        _accelerometerReady = false;
        x = 0;
        y = 0;
        z = 0;
        return false;
    }

    private double AngleFromReference(double x, double y, double z)
    {
        var rx = _settings.TiltReferenceX;
        var ry = _settings.TiltReferenceY;
        var rz = _settings.TiltReferenceZ;
        var norms = Math.Sqrt((x * x) + (y * y) + (z * z)) * Math.Sqrt((rx * rx) + (ry * ry) + (rz * rz));
        if (norms < 1e-6)
        {
            return 0;
        }

        var cosine = ((x * rx) + (y * ry) + (z * rz)) / norms;
        cosine = cosine > 1 ? 1 : (cosine < -1 ? -1 : cosine);
        return Math.Acos(cosine) * 180.0 / Math.PI;
    }
}
