using CivicEdge.Gateway.Acquisition;
using CivicEdge.Gateway.Uplink;

namespace CivicEdge.Gateway.SelfUpdate;

/// <summary>
/// Whether a new version is fit to confirm: the uplink is connected, the fleet has acknowledged data it sent, and every
/// configured device's bus is polling it. Pure; the reason names what is missing.
/// </summary>
public static class TrialHealth
{
    /// <summary>Null when healthy, else what is missing.</summary>
    public static string? Judge(UplinkStatus uplink, IReadOnlyList<DeviceCounters> devices)
    {
        ArgumentNullException.ThrowIfNull(uplink);
        ArgumentNullException.ThrowIfNull(devices);
        if (!uplink.Connected)
            return "the uplink is not connected";
        if (uplink.Streams.Sum(s => s.Acknowledged) == 0)
            return "the fleet has acknowledged no data yet";
        var idle = devices.Where(d => d.Polls == 0).Select(d => d.DeviceId).ToList();
        return idle.Count == 0 ? null : $"not yet polled: {string.Join(", ", idle)}";
    }
}
