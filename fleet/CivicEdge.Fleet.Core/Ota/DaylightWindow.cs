using System.Globalization;
using CivicEdge.Solar;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// Updates only while a street light's lamps are off: from sunrise + <paramref name="Offset"/> to sunset −
/// <paramref name="Offset"/>, at each device's own place, after NOAA's solar calculation (<see cref="SolarCalculator"/>,
/// the one the gateway's lighting rules use). A lamp switched by a photocell or a dusk rule may still burn a little after
/// sunrise or before sunset, hence the margin.
/// </summary>
/// <remarks>
/// Where the sun does not rise and set on a day (polar day or night above about 66.5°), or the day is no longer than twice
/// the offset, the day has no window: the device is held with that reason, not offered, and is offered on the first day
/// that has one.
/// </remarks>
public sealed record DaylightWindow(TimeSpan Offset)
{
    private const string Keyword = "daylight";

    public static TimeSpan DefaultOffset { get; } = TimeSpan.FromMinutes(30);

    /// <summary>The largest offset accepted: more would leave no window on most winter days anywhere.</summary>
    public static TimeSpan MaxOffset { get; } = TimeSpan.FromHours(4);

    /// <summary>Reads <c>daylight</c> (offset 30 min), <c>daylight+45m</c>, <c>daylight+1h</c> or <c>daylight+0m</c>.</summary>
    public static bool TryParse(string? text, out DaylightWindow window)
    {
        window = null!;
        if (text is null || !text.StartsWith(Keyword, StringComparison.OrdinalIgnoreCase))
            return false;
        var rest = text[Keyword.Length..].Trim();
        if (rest.Length == 0)
        {
            window = new DaylightWindow(DefaultOffset);
            return true;
        }
        if (rest.Length < 3 || rest[0] != '+' || !int.TryParse(rest.AsSpan(1, rest.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            return false;
        TimeSpan? offset = char.ToLowerInvariant(rest[^1]) switch
        {
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            _ => null,
        };
        if (offset is null)
            return false;
        window = new DaylightWindow(offset.Value);
        return true;
    }

    /// <summary>What is wrong with it; null when valid.</summary>
    public string? Problem() => Offset < TimeSpan.Zero || Offset > MaxOffset
        ? $"windows: expected a daylight offset from 0 to {MaxOffset.TotalHours:0} h, found {Offset}"
        : null;

    /// <summary>Whether a device at <paramref name="place"/> (null when neither the ledger nor the campaign knows it) may be offered at <paramref name="now"/>.</summary>
    public DaylightCheck Check(GeoPoint? place, DateTimeOffset now)
    {
        if (place is null)
            return new(false, "held: the daylight window needs the device's place; the ledger has no latitude and longitude for it and the campaign gives no location");

        var sun = new SolarCalculator(place.Latitude, place.Longitude);
        // The device's solar day: the calculator's dates are local solar days (15° of longitude to the hour).
        var date = DateOnly.FromDateTime(now.UtcDateTime.AddHours(place.Longitude / 15));
        var sunrise = sun.On(SunEvent.Sunrise, date);
        var sunset = sun.On(SunEvent.Sunset, date);
        if (sunrise is null || sunset is null)
        {
            var polar = sun.IsUp(now) ? "polar day: the sun does not set" : "polar night: the sun does not rise";
            return new(false, $"held: no daylight window at {place} on {date:yyyy-MM-dd} ({polar}); offered on the first day with a sunrise and a sunset");
        }
        var opens = sunrise.Value + Offset;
        var closes = sunset.Value - Offset;
        if (opens >= closes)
            return new(false, string.Create(CultureInfo.InvariantCulture, $"held: no daylight window at {place} on {date:yyyy-MM-dd}: sunrise {sunrise:HH:mm} to sunset {sunset:HH:mm} UTC is not longer than twice the offset of {Offset.TotalMinutes:0} min"));
        return new(now >= opens && now < closes, null);
    }

    public override string ToString() => Offset.TotalMinutes % 60 == 0 && Offset > TimeSpan.Zero
        ? string.Create(CultureInfo.InvariantCulture, $"{Keyword}+{Offset.TotalHours:0}h")
        : string.Create(CultureInfo.InvariantCulture, $"{Keyword}+{Offset.TotalMinutes:0}m");
}
