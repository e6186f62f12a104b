using System.Threading;
using CivicEdge.Firmware.Core.Hal;
using nanoFramework.Runtime.Native;

namespace CivicEdge.Firmware.Pole.Device;

/// <summary>
/// A watchdog for the managed main loop: a timer thread reboots the device unless <see cref="Feed"/> came within the
/// timeout. nanoFramework exposes no ESP32 hardware watchdog to managed code, and its native task watchdog does not see
/// a managed loop that hangs while the interpreter still runs; this one does.
/// </summary>
public sealed class SoftwareWatchdog : IWatchdog
{
    private Timer _timer;
    private int _timeout;

    public void Start(int timeoutMilliseconds)
    {
        _timeout = timeoutMilliseconds;
        _timer = new Timer(Expired, null, timeoutMilliseconds, Timeout.Infinite);
    }

    public void Feed()
    {
        if (_timer != null)
        {
            _timer.Change(_timeout, Timeout.Infinite);
        }
    }

    private static void Expired(object state) => Power.RebootDevice();
}
