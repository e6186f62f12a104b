using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using CivicEdge.Firmware.Host;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Ota;
using CivicEdge.Gateway.Tests.Support;
using CivicEdge.Modbus;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Gateway.Tests.Ota;

/// <summary>
/// The relay between the fleet's offers and the devices on the gateway's buses: refusals it reports, and real
/// firmware update receivers behind serial-to-Ethernet converters, fed one device at a time per bus.
/// </summary>
[Category("Integration")]
[CancelAfter(120_000)]
public sealed class FieldUpdateRelayTests
{
    private const int Baud = 115200;
    private const string Bus = "rs485-1";

    private static readonly byte[] Factory = SimulatedFirmwareImage.Create("1.0.0", 4_000, seed: 20);

    private static readonly FieldUpdateOptions Transfer = new()
    {
        BusShare = 1,
        StatusInterval = TimeSpan.FromMilliseconds(50),
        ConfirmTimeout = TimeSpan.FromSeconds(30),
        VerifyTimeout = TimeSpan.FromSeconds(30),
    };

    private OtaSigningKey _signer = null!;
    private TempDirectory _directory = null!;

    [SetUp]
    public void Start()
    {
        _signer = OtaSigningKey.Generate();
        _directory = new TempDirectory();
    }

    [TearDown]
    public void Stop()
    {
        _signer.Dispose();
        _directory.Dispose();
    }

    [Test]
    public async Task An_offer_for_a_device_that_is_not_configured_is_refused_with_a_numbered_failed_report(CancellationToken ct)
    {
        var payload = SimulatedFirmwareImage.Create("1.1.0", 5_000, seed: 21);
        var sink = new RecordingStatusSink();
        await using var relay = Relay(new TargetTable(), new RangeServingFleet(payload), sink);

        await relay.OfferAsync(Offer(payload, "pole-0099"), ct);

        var report = sink.Reports.Single();
        Assert.That(report.Phase, Is.EqualTo(OtaPhase.Failed));
        Assert.That(report.Sequence, Is.EqualTo(1));
        Assert.That(report.Target, Is.EqualTo("pole-0099"));
        Assert.That(report.Reason, Does.Contain("pole-0099").And.Contain("configured"));
    }

    [Test]
    public async Task An_offer_of_gateway_software_for_a_field_device_is_refused_naming_the_kind(CancellationToken ct)
    {
        var payload = SimulatedFirmwareImage.Create("1.1.0", 5_000, seed: 22);
        var sink = new RecordingStatusSink();
        await using var relay = Relay(new TargetTable(), new RangeServingFleet(payload), sink);

        await relay.OfferAsync(Offer(payload, "pole-0001") with { Kind = ArtifactKind.Gateway }, ct);

        Assert.That(sink.Reports.Single().Reason, Does.Contain("firmware").And.Contain("Gateway"));
    }

    [Test]
    public async Task Two_devices_on_one_bus_are_updated_in_turn_and_both_confirm_the_new_version(CancellationToken ct)
    {
        var payload = SimulatedFirmwareImage.Create("1.1.0", 20_001, seed: 23);
        var lane = new CountingBusLane();
        await using var first = await DeviceOnBus.StartAsync("pole-0001", 7, lane);
        await using var second = await DeviceOnBus.StartAsync("pole-0002", 8, lane);
        var sink = new RecordingStatusSink();
        await using var relay = Relay(new TargetTable(first.Target, second.Target), new RangeServingFleet(payload), sink);

        await relay.OfferAsync(Offer(payload, "pole-0001"), ct);
        await relay.OfferAsync(Offer(payload, "pole-0002"), ct);
        var results = await Task.WhenAll(relay.CompletionOf("pole-0001")!, relay.CompletionOf("pole-0002")!);

        Assert.That(results.Select(r => r?.Phase), Is.All.EqualTo(OtaPhase.Confirmed));
        Assert.That(first.Device.RunningVersion, Is.EqualTo("1.1.0"));
        Assert.That(second.Device.RunningVersion, Is.EqualTo("1.1.0"));
        Assert.That(lane.MostAtOnce, Is.EqualTo(1), "a half-duplex bus carries one transaction at a time");
        foreach (var target in new[] { "pole-0001", "pole-0002" })
        {
            var reports = sink.Of(target).ToList();
            Assert.That(reports.Select(r => r.Sequence), Is.EqualTo(Enumerable.Range(1, reports.Count).Select(i => (long)i)), target);
            Assert.That(reports[^1].Phase, Is.EqualTo(OtaPhase.Confirmed), target);
            Assert.That(reports[^1].RunningVersion, Is.EqualTo("1.1.0"), target);
            var staged = reports.FindIndex(r => r.Phase == OtaPhase.Staged);
            var fed = reports.FindLastIndex(staged, r => r.Phase == OtaPhase.Downloading);
            Assert.That(reports[fed].BytesReceived, Is.EqualTo(payload.Length), $"{target}: the device's whole image acknowledged before it is staged");
        }
    }

    [Test]
    public async Task A_second_offer_for_a_device_already_updating_is_refused_and_the_first_goes_on(CancellationToken ct)
    {
        var payload = SimulatedFirmwareImage.Create("1.1.0", 20_001, seed: 24);
        await using var device = await DeviceOnBus.StartAsync("pole-0001", 7, new CountingBusLane());
        var sink = new RecordingStatusSink();
        await using var relay = Relay(new TargetTable(device.Target), new RangeServingFleet(payload), sink);

        await relay.OfferAsync(Offer(payload, "pole-0001"), ct);
        await relay.OfferAsync(Offer(payload, "pole-0001") with { CampaignId = "campaign-2" }, ct);
        var result = await relay.CompletionOf("pole-0001")!;

        var refused = sink.Reports.Single(r => r.CampaignId == "campaign-2");
        Assert.That(refused.Phase, Is.EqualTo(OtaPhase.Failed));
        Assert.That(refused.Reason, Does.Contain("expected no update in progress").And.Contain("campaign-1"));
        Assert.That(result?.Phase, Is.EqualTo(OtaPhase.Confirmed));
    }

    private FieldUpdateRelay Relay(IFieldUpdateTargets targets, RangeServingFleet fleet, RecordingStatusSink sink) =>
        new(targets,
            new OtaPayloadCache(new HttpClient(fleet) { BaseAddress = new Uri("http://fleet.test/") }, _directory.File("payloads"), new OtaVerifier([_signer.PublicKey]), NullLogger<OtaPayloadCache>.Instance),
            sink,
            _directory.File("numbers"),
            Transfer,
            TimeProvider.System,
            NullLoggerFactory.Instance);

    private OtaOffer Offer(byte[] payload, string target)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(payload));
        var manifest = new OtaManifest("pole-controller", ArtifactKind.Firmware, ["SLC-1"], "1.1.0", null, payload.Length, sha, null, DateTimeOffset.UnixEpoch);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(manifest, OtaJson.Default.OtaManifest);
        return new OtaOffer("campaign-1", target, 1, manifest.ArtifactId, ArtifactKind.Firmware, "1.1.0", payload.Length, sha,
            Convert.ToBase64String(bytes), _signer.Sign(bytes), "api/ota/artifacts/pole-controller@1.1.0/payload", DateTimeOffset.UtcNow.AddHours(1));
    }

    private sealed class TargetTable(params FieldUpdateTarget[] targets) : IFieldUpdateTargets
    {
        public FieldUpdateTargetLookup Find(string deviceId) =>
            targets.FirstOrDefault(t => t.DeviceId == deviceId) is { } target
                ? FieldUpdateTargetLookup.Found(target)
                : FieldUpdateTargetLookup.Refused($"expected '{deviceId}' to be a device configured on this gateway, found none by that id");
    }

    /// <summary>A firmware update receiver behind its own RTU-over-TCP converter, counted as on the shared bus.</summary>
    private sealed class DeviceOnBus : IAsyncDisposable
    {
        private readonly ModbusRtuMaster _master;

        private DeviceOnBus(UpdatableFieldDevice device, ModbusRtuMaster master, FieldUpdateTarget target)
        {
            Device = device;
            _master = master;
            Target = target;
        }

        public UpdatableFieldDevice Device { get; }

        public FieldUpdateTarget Target { get; }

        public static Task<DeviceOnBus> StartAsync(string id, byte unit, IBusLane lane)
        {
            var link = TcpSerialLink.Listen(new IPEndPoint(IPAddress.Loopback, 0), Baud);
            var device = new UpdatableFieldDevice(link, unit, new PoleRegisters(), new MemoryUpdateStorage(64 * 1024, Factory), new MemorySettingsStorage(),
                healthyAfterMilliseconds: 200, checkpointBytes: 4_096);
            var master = ModbusRtuMaster.OverTcp("127.0.0.1", link.LocalPort,
                new ModbusRtuMasterOptions { BaudRate = Baud, ResponseTimeout = TimeSpan.FromMilliseconds(300), Retries = 0 });
            return Task.FromResult(new DeviceOnBus(device, master, new FieldUpdateTarget(id, Bus, unit, master, lane)));
        }

        public async ValueTask DisposeAsync()
        {
            await _master.DisposeAsync();
            Device.Dispose();
        }
    }
}
