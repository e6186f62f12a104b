using System.Text.Json;
using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Fleet.Core.Ota;

namespace CivicEdge.Fleet.Core.Tests.Ota;

/// <summary>A campaign written down and taken up again, as a new leader does after the last one stopped.</summary>
[Category("Unit")]
public sealed class CampaignSnapshotTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);

    private static readonly OtaManifest Manifest = new("pole-controller", ArtifactKind.Firmware, ["slc-200"], "2.4.0", null, 1024, new string('a', 64), null, T0);

    private static readonly CampaignSettings Settings = CampaignSettings.Default with
    {
        Waves = [WaveSize.Devices(2), WaveSize.Share(100)],
        SoakTime = TimeSpan.FromMinutes(1),
        HealthWindow = TimeSpan.FromMinutes(1),
        FailureThreshold = 0.5,
    };

    [Test]
    public void A_campaign_taken_up_from_its_snapshot_as_json_finishes_its_canary_exactly_as_the_original_would()
    {
        var original = Campaign.Plan("c-1", Manifest, Settings, Targets(6), T0);
        original.Advance(T0, _ => null);
        original.Apply(Report("slc-0", 1, OtaPhase.Confirmed, "2.4.0"), T0);
        original.Apply(Report("slc-1", 1, OtaPhase.Downloading, null, bytes: 512), T0);

        var json = JsonSerializer.Serialize(original.Snapshot(), CampaignJson.Default.CampaignSnapshot);
        var restored = Campaign.Restore(JsonSerializer.Deserialize(json, CampaignJson.Default.CampaignSnapshot)!);

        Assert.That(JsonSerializer.Serialize(restored.Snapshot(), CampaignJson.Default.CampaignSnapshot), Is.EqualTo(json));
        foreach (var campaign in new[] { original, restored })
        {
            campaign.Apply(Report("slc-1", 2, OtaPhase.Confirmed, "2.4.0"), T0.AddSeconds(30));
            campaign.Advance(T0.AddMinutes(2), code => new DeviceHealthSample("2.4.0", Healthy: true));
        }
        Assert.That(restored.Progress(), Is.EqualTo(original.Progress()));
        Assert.That(restored.Progress()[0].Succeeded, Is.EqualTo(2));
        Assert.That(restored.WavePassedAt, Is.EqualTo(T0.AddMinutes(2)));
    }

    [Test]
    public void A_snapshot_naming_a_device_twice_is_refused_naming_the_device()
    {
        var snapshot = Campaign.Plan("c-1", Manifest, Settings, Targets(3), T0).Snapshot();
        var doubled = snapshot with { Devices = [.. snapshot.Devices, snapshot.Devices[1]] };

        var error = Assert.Throws<InvalidDataException>(() => Campaign.Restore(doubled));

        Assert.That(error!.Message, Is.EqualTo("campaign c-1: expected each device once, found slc-1 twice"));
    }

    [Test]
    public void A_snapshot_whose_current_wave_is_past_its_last_is_refused_saying_what_was_expected()
    {
        var snapshot = Campaign.Plan("c-1", Manifest, Settings, Targets(3), T0).Snapshot() with { CurrentWave = 2 };

        var error = Assert.Throws<InvalidDataException>(() => Campaign.Restore(snapshot));

        Assert.That(error!.Message, Is.EqualTo("campaign c-1: expected the current wave from 0 to 1, found 2"));
    }

    private static OtaStatusReport Report(string device, long sequence, OtaPhase phase, string? running, long? bytes = null) =>
        new("c-1", device, 1, sequence, phase, bytes, running, null, T0);

    private static IEnumerable<CampaignTarget> Targets(int count) =>
        Enumerable.Range(0, count).Select(i => new CampaignTarget($"slc-{i}", "gw-00", "2.3.1"));
}
