using CivicEdge.Firmware.Core.Boot;
using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Update;
using CivicEdge.Firmware.Host;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Core.Tests.Update;

/// <summary>
/// A device under update, booted on storage that survives its restarts: each <see cref="Reboot"/> lets the simulated
/// boot loader start whichever image it should and begins the boot guard and the receiver again, as firmware does.
/// </summary>
internal sealed class UpdatedDevice : IFailSafe
{
    public const int HealthyAfter = 1000;

    private readonly FakeTimeProvider _time = new();

    public UpdatedDevice(byte[] factoryImage, int capacity = 64 * 1024, int checkpointBytes = 1024)
    {
        Storage = new MemoryUpdateStorage(capacity, factoryImage);
        CheckpointBytes = checkpointBytes;
        Reboot(ResetCause.PowerOn);
    }

    public MemoryUpdateStorage Storage { get; }

    public MemorySettingsStorage Settings { get; } = new();

    public int CheckpointBytes { get; }

    public UpdateReceiver Receiver { get; private set; } = null!;

    public BootGuard Guard { get; private set; } = null!;

    public SimulatedPowerControl Power { get; private set; } = null!;

    public SimulatedClock Clock { get; private set; } = null!;

    public string RunningVersion { get; private set; } = string.Empty;

    public void HoldFailSafe()
    {
    }

    public void Reboot(ResetCause cause)
    {
        var image = Storage.Boot();
        RunningVersion = SimulatedFirmwareImage.VersionOf(image);
        Clock = new SimulatedClock(_time);
        Power = new SimulatedPowerControl(cause);
        Guard = new BootGuard(Settings, Power, Clock, BootGuard.DefaultSafeModeAfter, HealthyAfter);
        Guard.Begin(this);
        Receiver = new UpdateReceiver(Storage, Settings, Power, Guard, RunningVersion, CheckpointBytes, UpdateReceiver.DefaultMaxTrialBoots);
        Receiver.Begin();
    }

    /// <summary>One main-loop pass: the boot guard, then the receiver; a reboot the firmware asked for happens.</summary>
    public void Pass(bool healthy = true)
    {
        if (healthy)
            Guard.ReportHealthy();
        Guard.Run(Clock.UptimeMilliseconds);
        int before = Power.RebootRequests;
        Receiver.Run(Clock.UptimeMilliseconds);
        if (Power.RebootRequests > before)
            Reboot(ResetCause.Software);
    }

    /// <summary>Runs passes until the hash check is done.</summary>
    public void RunUntilVerified()
    {
        for (var i = 0; i < 10_000 && Receiver.State == UpdateState.Verifying; i++)
            Pass();
    }

    public void Advance(int milliseconds) => _time.Advance(TimeSpan.FromMilliseconds(milliseconds));
}
