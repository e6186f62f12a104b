using CivicEdge.Firmware.Core.Hal;

namespace CivicEdge.Firmware.MeterNode.Tests.Support;

/// <summary>Power control that records the sleeps asked for; on the host, deep sleep returns at once.</summary>
internal sealed class RecordingPowerControl : IPowerControl
{
    public ResetCause LastResetCause { get; set; } = ResetCause.PowerOn;

    public List<int> Sleeps { get; } = [];

    public Action? BeforeSleep { get; set; }

    public void Reboot() => throw new InvalidOperationException("The meter node never reboots itself in these tests.");

    public void DeepSleep(int milliseconds)
    {
        BeforeSleep?.Invoke();
        Sleeps.Add(milliseconds);
    }
}
