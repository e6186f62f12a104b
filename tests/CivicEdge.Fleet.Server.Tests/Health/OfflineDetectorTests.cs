using System.Net.Http.Json;
using CivicEdge.Fleet.Contracts;
using CivicEdge.Fleet.Contracts.Alarms;
using CivicEdge.Fleet.Contracts.Health;
using CivicEdge.Fleet.Core;
using Microsoft.Extensions.DependencyInjection;

namespace CivicEdge.Fleet.Server.Tests.Health;

/// <summary>The offline detector, led by this node, raising a fleet alarm when a device in service goes silent and clearing it when it reports again.</summary>
[Category("Integration")]
public sealed class OfflineDetectorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_device_that_goes_offline_raises_one_fleet_alarm_which_clears_when_it_reports_again()
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await using var fleet = await HealthFleet.StartAsync(cancel.Token, new Dictionary<string, string>
        {
            ["Fleet:Health:OfflineAlarms"] = "true",
            ["Fleet:Health:CheckInterval"] = "00:01:00",
        });
        using var admin = fleet.Host.CreateClient();

        // gm-1 has been silent for two hours at start: offline. wm-1 goes silent from now on.
        var raised = await WaitForAsync(admin, "api/alarms?type=offline&state=open", alarms => alarms.Any(a => a.Device == "wm-1"), fleet, cancel.Token);
        var offline = raised.Single(a => a.Device == "wm-1");
        var store = fleet.Host.Services.GetRequiredService<IFleetStore>();
        await store.StoreBatchAsync(HealthFleet.Readings("gw-water", 2, "wm-1", fleet.Clock.GetUtcNow()), fleet.Clock.GetUtcNow(), cancel.Token);
        var after = await WaitForAsync(admin, $"api/alarms?device=wm-1&type=offline", alarms => alarms.Any(a => a.Id == offline.Id && a.State == AlarmState.Cleared), fleet, cancel.Token);

        Assert.That((offline.Source, offline.Severity, offline.Count, offline.History[0].By), Is.EqualTo((AlarmSource.Fleet, EventSeverity.Major, 1, "fleet")));
        Assert.That(offline.Message, Does.StartWith("Offline: last heard"));
        Assert.That(raised.Count(a => a.Device == "gm-1"), Is.EqualTo(1));
        Assert.That(raised.Select(a => a.Device), Does.Not.Contain("wm-2"), "never heard from is unknown, not offline");
        var cleared = after.Single(a => a.Id == offline.Id);
        Assert.That((cleared.History[^1].State, cleared.History[^1].By), Is.EqualTo((AlarmState.Cleared, "fleet")));
        Assert.That(cleared.History[^1].Note, Does.StartWith("heard from again at "));
        Assert.That(after.Count(a => a.IsOpen), Is.Zero);
    }

    /// <summary>Moves the fleet's clock a minute at a time (each a check) until the alarms listed at <paramref name="url"/> satisfy <paramref name="done"/>.</summary>
    private static async Task<IReadOnlyList<Alarm>> WaitForAsync(HttpClient client, string url, Func<IReadOnlyList<Alarm>, bool> done, HealthFleet fleet, CancellationToken cancellationToken)
    {
        while (true)
        {
            var alarms = (await client.GetFromJsonAsync(url, HealthJson.Default.IReadOnlyListAlarm, cancellationToken))!;
            if (done(alarms))
                return alarms;
            fleet.Clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }
}
