using System.Globalization;

namespace CivicEdge.Fleet.Core.Ota;

/// <summary>
/// How far a wave takes a campaign: to a share of all its targets (<c>10%</c>) or to a number of them (<c>5</c>),
/// counted from the campaign's start, so <c>1%, 10%, 50%, 100%</c> are four waves of 1, 9, 40 and 50 per cent.
/// </summary>
/// <param name="Percent">The cumulative share, 0–100, or null.</param>
/// <param name="Count">The cumulative number of devices, or null.</param>
public sealed record WaveSize(double? Percent, int? Count)
{
    public static WaveSize Share(double percent) => new(percent, null);

    public static WaveSize Devices(int count) => new(null, count);

    /// <summary>Reads <c>10%</c> or <c>5</c>.</summary>
    public static bool TryParse(string? text, out WaveSize size)
    {
        size = Devices(0);
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim();
        if (text.EndsWith('%'))
        {
            if (!double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) || percent is <= 0 or > 100)
                return false;
            size = Share(percent);
            return true;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
            return false;
        size = Devices(count);
        return true;
    }

    /// <summary>How many of <paramref name="total"/> targets are reached once this wave is done (at least one of a non-empty campaign).</summary>
    public int CumulativeOf(int total) => total == 0 ? 0
        : Percent is { } percent ? Math.Clamp((int)Math.Ceiling(percent / 100 * total - 1e-9), 1, total)
        : Math.Clamp(Count ?? 0, 1, total);

    public override string ToString() => Percent is { } percent ? percent.ToString("0.##", CultureInfo.InvariantCulture) + "%" : (Count ?? 0).ToString(CultureInfo.InvariantCulture);
}
