using CivicEdge.Firmware.Core.Hal;
using CivicEdge.Firmware.Core.Uplink;
using CivicEdge.Firmware.Host;
using Microsoft.Extensions.Time.Testing;

namespace CivicEdge.Firmware.Core.Tests.Support;

/// <summary>A device uplink on a fake link, a fake clock and settings storage that survives a simulated reboot.</summary>
internal sealed class UplinkRig
{
    public const string Source = "POLE-0001";

    public UplinkRig(Action<UplinkOptions>? configure = null, ResetCause resetCause = ResetCause.PowerOn, MemorySettingsStorage? storage = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero));
        Clock = new SimulatedClock(Time);
        Storage = storage ?? new MemorySettingsStorage();
        Link = new FakeNetworkLink { Uptime = () => Clock.UptimeMilliseconds };
        Options = new UplinkOptions(Source, Source, "s3cret", "1.4.2") { Model = "civicedge-pole" };
        configure?.Invoke(Options);
        Uplink = new DeviceUplink(Options, Link, Clock, Storage, resetCause, new FixedMemoryGauge());
    }

    public FakeTimeProvider Time { get; }

    public SimulatedClock Clock { get; }

    public MemorySettingsStorage Storage { get; }

    public FakeNetworkLink Link { get; }

    public UplinkOptions Options { get; }

    public DeviceUplink Uplink { get; }

    public string Topic(string suffix) => "civic/v1/" + Source + suffix;

    /// <summary>Moves time on and runs one pass of the main loop.</summary>
    public void Step(TimeSpan elapsed)
    {
        Time.Advance(elapsed);
        Uplink.Poll();
    }

    public void Ack(string stream, long first, long last, string status = "persisted", string? reason = null)
    {
        Link.Deliver(Topic("/ack"), $$"""{"stream":"{{stream}}","firstSeq":{{first}},"lastSeq":{{last}},"status":"{{status}}","stored":{{last - first + 1}},"duplicates":0,"reason":{{(reason is null ? "null" : "\"" + reason + "\"")}}}""");
    }

    private sealed class FixedMemoryGauge : IMemoryGauge
    {
        public long FreeBytes => 61_440;

        public long TotalBytes => 81_920;
    }
}
