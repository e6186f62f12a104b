using System;
using System.Threading;
using CivicEdge.Firmware.Core.Hal;
using nanoFramework.Runtime.Native;

namespace CivicEdge.Firmware.Core.Device;

/// <summary>
/// A watchdog for the managed main loop. nanoFramework gives managed code no handle on the ESP32's hardware
/// watchdogs (they guard the native scheduler, not a managed thread), so a timer on nanoFramework's timer thread
/// checks that the main loop fed it within the timeout; when it did not, it records <see cref="ResetCause.Watchdog"/>
/// and restarts the device. The native task watchdog still covers a hung runtime.
/// </summary>
public sealed class SoftwareWatchdog : IWatchdog, IDisposable
{
    private readonly ISettingsStorage _storage;
    private Timer _timer;
    private int _timeout;
    private long _fedAt;

    public SoftwareWatchdog(ISettingsStorage storage)
    {
        if (storage == null)
        {
            throw new ArgumentNullException(nameof(storage));
        }

        _storage = storage;
    }

    public void Start(int timeoutMilliseconds)
    {
        if (timeoutMilliseconds < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(timeoutMilliseconds), "The watchdog timeout must be at least 100 ms; found " + timeoutMilliseconds + ".");
        }

        _timeout = timeoutMilliseconds;
        _fedAt = Environment.TickCount64;
        int check = timeoutMilliseconds / 4;
        if (_timer == null)
        {
            _timer = new Timer(Check, null, check, check);
        }
        else
        {
            _timer.Change(check, check);
        }
    }

    public void Feed() => _fedAt = Environment.TickCount64;

    public void Dispose()
    {
        if (_timer != null)
        {
            _timer.Dispose();
            _timer = null;
        }
    }

    private void Check(object state)
    {
        if (Environment.TickCount64 - _fedAt <= _timeout)
        {
            return;
        }

        try
        {
            ResetMarker.Write(_storage, ResetCause.Watchdog);
        }
        finally
        {
            Power.RebootDevice();
        }
    }
}
