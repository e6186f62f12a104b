using System.Net;
using CivicEdge.Firmware.Core.Update;
using CivicEdge.Firmware.Host;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Ota;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Modbus;
using CivicEdge.Transports;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Tests.Ota;

/// <summary>
/// The gateway's relay against the firmware's own update receiver, running as a host device behind the firmware's
/// Modbus slave: over a socat pty pair as on an RS-485 line, and over TCP as behind a serial-to-Ethernet converter.
/// </summary>
[Category("Integration")]
[CancelAfter(120_000)]
public sealed class FieldDeviceUpdaterTests
{
    private const byte Unit = 7;
    private const int Baud = 115200;

    private static readonly byte[] Factory = SimulatedFirmwareImage.Create("1.0.0", 4_000, seed: 10);

    private static readonly FieldUpdateOptions Options = new()
    {
        BusShare = 1,
        StatusInterval = TimeSpan.FromMilliseconds(50),
        ConfirmTimeout = TimeSpan.FromSeconds(30),
        VerifyTimeout = TimeSpan.FromSeconds(30),
    };

    [Test]
    public async Task A_device_on_a_serial_line_is_fed_a_new_image_boots_it_and_confirms_the_new_version(CancellationToken ct)
    {
        await using var line = await SocatPtyPair.OpenAsync();
        using var device = Device(new SerialDeviceLink(line.Slaves, Baud, System.IO.Ports.Parity.None));
        await using var master = SerialMaster(line.Master);
        var image = SimulatedFirmwareImage.Create("1.1.0", 45_001, seed: 11);
        var reporter = new RecordingUpdateReporter();

        var result = await Updater(master).UpdateAsync(FieldUpdateImage.Of("1.1.0", image), reporter, ct);

        Assert.That(result.Phase, Is.EqualTo(OtaPhase.Confirmed), result.Reason);
        Assert.That(reporter.Steps, Is.EqualTo(new[] { OtaPhase.Staged, OtaPhase.Rebooting, OtaPhase.Confirmed }));
        Assert.That(reporter.Phases.TakeWhile(p => p == OtaPhase.Downloading).Count(), Is.EqualTo(reporter.Progress.Count), "progress comes before the image is staged");
        Assert.That(reporter.Last.RunningVersion, Is.EqualTo("1.1.0"));
        Assert.That(device.RunningVersion, Is.EqualTo("1.1.0"));
        Assert.That(device.Storage.RunningImage, Is.EqualTo(image));
        Assert.That(result.ImageBytesSent, Is.EqualTo(image.Length));
    }

    [Test]
    public async Task The_bytes_the_device_acknowledged_are_reported_every_tenth_of_the_image_from_none_to_all(CancellationToken ct)
    {
        var link = TcpSerialLink.Listen(new IPEndPoint(IPAddress.Loopback, 0), Baud);
        using var device = Device(link);
        await using var master = ModbusRtuMaster.OverTcp("127.0.0.1", link.LocalPort, MasterOptions());
        var image = SimulatedFirmwareImage.Create("2.0.0", 24_001, seed: 15);
        var options = With(progressStep: 0.1, progressInterval: TimeSpan.FromHours(1));
        var reporter = new RecordingUpdateReporter();

        var result = await Updater(master, options).UpdateAsync(FieldUpdateImage.Of("2.0.0", image), reporter, ct);

        Assert.That(result.Phase, Is.EqualTo(OtaPhase.Confirmed), result.Reason);
        var progress = reporter.Progress.Select(b => b!.Value).ToList();
        Assert.That(progress[0], Is.Zero);
        Assert.That(progress[^1], Is.EqualTo(image.Length));
        var steps = progress.Zip(progress.Skip(1), (before, after) => after - before).ToList();
        Assert.That(steps[..^1], Is.All.GreaterThanOrEqualTo(2_401), "a report after each tenth of the image, not each chunk");
        Assert.That(steps[^1], Is.Positive);
        Assert.That(progress, Has.Count.InRange(11, 12));
    }

    [Test]
    public async Task Progress_is_reported_again_once_the_interval_has_passed_even_within_a_step(CancellationToken ct)
    {
        var link = TcpSerialLink.Listen(new IPEndPoint(IPAddress.Loopback, 0), Baud);
        using var device = Device(link);
        await using var master = ModbusRtuMaster.OverTcp("127.0.0.1", link.LocalPort, MasterOptions());
        var image = SimulatedFirmwareImage.Create("2.0.0", 2_400, seed: 16);
        var everyChunk = With(progressStep: 1, progressInterval: TimeSpan.FromTicks(1));
        var reporter = new RecordingUpdateReporter();

        var result = await Updater(master, everyChunk).UpdateAsync(FieldUpdateImage.Of("2.0.0", image), reporter, ct);

        Assert.That(result.Phase, Is.EqualTo(OtaPhase.Confirmed), result.Reason);
        Assert.That(reporter.Progress, Is.EqualTo(Enumerable.Range(0, 11).Select(i => (long?)(i * 240))), "a 240-byte chunk takes longer than a tick");
    }

    [Test]
    public async Task A_device_behind_a_serial_to_ethernet_converter_is_updated_over_rtu_over_tcp(CancellationToken ct)
    {
        var link = TcpSerialLink.Listen(new IPEndPoint(IPAddress.Loopback, 0), Baud);
        using var device = Device(link);
        await using var master = ModbusRtuMaster.OverTcp("127.0.0.1", link.LocalPort, MasterOptions());
        var image = SimulatedFirmwareImage.Create("2.0.0", 12_345, seed: 12);

        var result = await Updater(master).UpdateAsync(FieldUpdateImage.Of("2.0.0", image), new RecordingUpdateReporter(), ct);

        Assert.That(result.Phase, Is.EqualTo(OtaPhase.Confirmed), result.Reason);
        Assert.That(device.RunningVersion, Is.EqualTo("2.0.0"));
    }

    [Test]
    public async Task A_power_loss_of_the_device_in_mid_transfer_resumes_from_its_last_checkpoint(CancellationToken ct)
    {
        await using var line = await SocatPtyPair.OpenAsync();
        using var device = Device(new SerialDeviceLink(line.Slaves, Baud, System.IO.Ports.Parity.None), checkpointBytes: 2_048);
        await using var master = SerialMaster(line.Master);
        var image = SimulatedFirmwareImage.Create("1.1.0", 30_000, seed: 13);
        // Checkpoints fall on the first 240-byte chunk end at least 2048 bytes past the last: 2160, 4320 … 10800.
        device.Storage.TearWriteCovering(12_000, 100);

        var result = await Updater(master).UpdateAsync(FieldUpdateImage.Of("1.1.0", image), new RecordingUpdateReporter(), ct);

        Assert.That(result.Phase, Is.EqualTo(OtaPhase.Confirmed), result.Reason);
        Assert.That(device.PowerLosses, Is.EqualTo(1));
        Assert.That(device.Storage.RunningImage, Is.EqualTo(image));
        Assert.That(result.ImageBytesSent - image.Length, Is.EqualTo(12_000 - 10_800), "resent from the last checkpoint, 10800, up to where power was lost");
    }

    [Test]
    public async Task An_image_that_never_becomes_healthy_is_reported_rolled_back_with_the_old_version(CancellationToken ct)
    {
        await using var line = await SocatPtyPair.OpenAsync();
        using var device = Device(new SerialDeviceLink(line.Slaves, Baud, System.IO.Ports.Parity.None));
        await using var master = SerialMaster(line.Master);
        var faulty = SimulatedFirmwareImage.Create("1.2.0", 6_000, healthy: false, seed: 14);
        var reporter = new RecordingUpdateReporter();

        var result = await Updater(master).UpdateAsync(FieldUpdateImage.Of("1.2.0", faulty), reporter, ct);

        Assert.That(result.Phase, Is.EqualTo(OtaPhase.RolledBack), result.Reason);
        Assert.That(result.RunningVersion, Is.EqualTo("1.0.0"));
        Assert.That(result.Reason, Does.Contain("never confirmed itself healthy (error 7)"));
        Assert.That(device.RunningVersion, Is.EqualTo("1.0.0"));
        Assert.That(device.UpdateState, Is.EqualTo(UpdateState.RolledBack));
    }

    [Test]
    public async Task A_device_that_new_images_do_not_suit_rolls_back_even_an_image_that_says_it_is_healthy(CancellationToken ct)
    {
        var link = TcpSerialLink.Listen(new IPEndPoint(IPAddress.Loopback, 0), Baud);
        using var device = new UpdatableFieldDevice(link, Unit, new PoleRegisters(), new MemoryUpdateStorage(64 * 1024, Factory), new MemorySettingsStorage(),
            healthyAfterMilliseconds: 200, failsNewImages: true);
        await using var master = ModbusRtuMaster.OverTcp("127.0.0.1", link.LocalPort, MasterOptions());
        var healthy = SimulatedFirmwareImage.Create("1.3.0", 6_000, healthy: true, seed: 17);

        var result = await Updater(master).UpdateAsync(FieldUpdateImage.Of("1.3.0", healthy), new RecordingUpdateReporter(), ct);

        Assert.That((result.Phase, result.RunningVersion), Is.EqualTo((OtaPhase.RolledBack, "1.0.0")), result.Reason);
        Assert.That(device.RunningVersion, Is.EqualTo("1.0.0"));
        Assert.That(device.Boots, Is.GreaterThan(2), "it restarted into the new image before it went back");
    }

    [Test]
    public async Task A_device_that_already_runs_the_version_is_confirmed_without_a_transfer(CancellationToken ct)
    {
        await using var line = await SocatPtyPair.OpenAsync();
        using var device = Device(new SerialDeviceLink(line.Slaves, Baud, System.IO.Ports.Parity.None));
        await using var master = SerialMaster(line.Master);

        var result = await Updater(master).UpdateAsync(FieldUpdateImage.Of("1.0.0", Factory), new RecordingUpdateReporter(), ct);

        Assert.That(result.Phase, Is.EqualTo(OtaPhase.Confirmed));
        Assert.That(result.ImageBytesSent, Is.Zero);
        Assert.That(device.Storage.Erases, Is.Zero);
    }

    [Test]
    public async Task A_device_without_an_update_block_fails_the_update_naming_the_unit_and_the_address(CancellationToken ct)
    {
        await using var line = await SocatPtyPair.OpenAsync();
        using var device = Device(new SerialDeviceLink(line.Slaves, Baud, System.IO.Ports.Parity.None));
        await using var master = SerialMaster(line.Master);
        var options = new FieldUpdateOptions { RegisterBase = 0x1000, MaxConsecutiveFailures = 2 };
        var updater = new FieldDeviceUpdater(master, Unit, new DirectBusLane(), options, TimeProvider.System, NullLogger<FieldDeviceUpdater>.Instance);

        var result = await updater.UpdateAsync(FieldUpdateImage.Of("1.1.0", Factory), new RecordingUpdateReporter(), ct);

        Assert.That(result.Phase, Is.EqualTo(OtaPhase.Failed));
        Assert.That(result.Reason, Does.Contain("unit 7").And.Contain("4096"));
    }

    private static UpdatableFieldDevice Device(CivicEdge.Firmware.Core.Hal.ISerialLink link, int checkpointBytes = 4_096) =>
        new(link, Unit, new PoleRegisters(), new MemoryUpdateStorage(64 * 1024, Factory), new MemorySettingsStorage(),
            healthyAfterMilliseconds: 200, checkpointBytes: checkpointBytes);

    private static ModbusRtuMaster SerialMaster(string path) =>
        ModbusRtuMaster.OverSerial(new SerialChannelOptions { Path = path, BaudRate = Baud, Parity = CivicEdge.Transports.SerialParity.None }, MasterOptions());

    private static ModbusRtuMasterOptions MasterOptions() => new() { BaudRate = Baud, ResponseTimeout = TimeSpan.FromMilliseconds(300), Retries = 0 };

    private static FieldDeviceUpdater Updater(IModbusMaster master, FieldUpdateOptions? options = null) =>
        new(master, Unit, new DirectBusLane(), options ?? Options, TimeProvider.System, NullLogger<FieldDeviceUpdater>.Instance);

    private static FieldUpdateOptions With(double progressStep, TimeSpan progressInterval) => new()
    {
        BusShare = Options.BusShare,
        StatusInterval = Options.StatusInterval,
        ConfirmTimeout = Options.ConfirmTimeout,
        VerifyTimeout = Options.VerifyTimeout,
        ProgressStep = progressStep,
        ProgressInterval = progressInterval,
    };
}
