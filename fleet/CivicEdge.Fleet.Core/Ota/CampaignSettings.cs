namespace CivicEdge.Fleet.Core.Ota;

/// <summary>How a campaign rolls out: its waves, what each must prove before the next, and when and how fast it may go.</summary>
/// <param name="Waves">The waves, cumulative, the last reaching every target (<c>100%</c>).</param>
/// <param name="SoakTime">How long a wave that passed waits before the next starts, so a fault that shows late is seen.</param>
/// <param name="FailureThreshold">The share of a wave's devices (0–1) that may fail; more, and the campaign halts by itself.</param>
/// <param name="ConfirmTimeout">How long a device has from the offer to confirming the new version; later is a failure.</param>
/// <param name="HealthWindow">How long after confirming a device must stay healthy on the new version before it counts as a success.</param>
/// <param name="MaxConcurrentDownloads">The most devices of the campaign downloading at once.</param>
/// <param name="MaxConcurrentPerGateway">The most devices behind one gateway downloading at once (its uplink and its field bus are shared).</param>
/// <param name="Windows">When offers may start, in local time; empty for any time. With <see cref="Daylight"/> too, a device is offered only when both are open.</param>
/// <param name="UtcOffset">The city's offset from UTC, which the windows are read in.</param>
public sealed record CampaignSettings(
    IReadOnlyList<WaveSize> Waves,
    TimeSpan SoakTime,
    double FailureThreshold,
    TimeSpan ConfirmTimeout,
    TimeSpan HealthWindow,
    int MaxConcurrentDownloads,
    int MaxConcurrentPerGateway,
    IReadOnlyList<MaintenanceWindow> Windows,
    TimeSpan UtcOffset)
{
    /// <summary>Offers only in daylight at each device's place (street lights update while their lamps are off); null for none.</summary>
    public DaylightWindow? Daylight { get; init; }

    /// <summary>Where a device the ledger has no latitude and longitude for is taken to be, for <see cref="Daylight"/>; null to hold such devices.</summary>
    public GeoPoint? Location { get; init; }

    /// <summary>Canary 1 %, then 10 %, 50 %, 100 %; 30 min soak; halt above 5 % failed.</summary>
    public static CampaignSettings Default { get; } = new(
        [WaveSize.Share(1), WaveSize.Share(10), WaveSize.Share(50), WaveSize.Share(100)],
        TimeSpan.FromMinutes(30), 0.05, TimeSpan.FromHours(1), TimeSpan.FromMinutes(10), 50, 4, [], TimeSpan.Zero);

    /// <summary>Every problem at once, each naming the field, what was expected and what was found.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Waves.Count == 0)
            problems.Add("waves: expected at least one wave, the last reaching 100%, found none");
        else if (Waves[^1] is not { Percent: 100 })
            problems.Add($"waves: expected the last wave to reach every target (100%), found {Waves[^1]}");
        if (Waves.Any(w => w.Percent is null == w.Count is null || w.Percent is <= 0 or > 100 || w.Count is < 1))
            problems.Add($"waves: expected each wave as a share from 0 to 100% or a number of devices from 1, found {string.Join(", ", Waves)}");
        if (Waves.Where(w => w.Percent is not null).Select(w => w.Percent!.Value).Zip(Waves.Where(w => w.Percent is not null).Skip(1).Select(w => w.Percent!.Value)).Any(p => p.Second <= p.First))
            problems.Add($"waves: expected shares that grow wave by wave, found {string.Join(", ", Waves)}");
        if (FailureThreshold is < 0 or >= 1)
            problems.Add($"failureThreshold: expected a share from 0 to below 1 (0.05 for 5 %), found {FailureThreshold}");
        if (SoakTime < TimeSpan.Zero)
            problems.Add($"soakTime: expected zero or more, found {SoakTime}");
        if (ConfirmTimeout <= TimeSpan.Zero)
            problems.Add($"confirmTimeout: expected more than zero, found {ConfirmTimeout}");
        if (HealthWindow < TimeSpan.Zero)
            problems.Add($"healthWindow: expected zero or more, found {HealthWindow}");
        if (MaxConcurrentDownloads < 1)
            problems.Add($"maxConcurrentDownloads: expected at least 1, found {MaxConcurrentDownloads}");
        if (MaxConcurrentPerGateway < 1)
            problems.Add($"maxConcurrentPerGateway: expected at least 1, found {MaxConcurrentPerGateway}");
        if (Daylight?.Problem() is { } daylight)
            problems.Add(daylight);
        if (Location?.Problem("location") is { } location)
            problems.Add(location);
        return problems;
    }
}
