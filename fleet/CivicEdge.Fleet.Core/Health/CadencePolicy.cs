using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Ledger;

namespace CivicEdge.Fleet.Core.Health;

/// <summary>
/// How often a device is expected to report. The most specific setting wins: the device's code in
/// <see cref="HealthOptions.Devices"/>, then a ledger tag <c>cadence-&lt;duration&gt;</c> (e.g. <c>cadence-1h</c>),
/// then its kind in <see cref="HealthOptions.Kinds"/>, then its model's hardware profile (or
/// <see cref="HealthOptions.Models"/>), then <see cref="HealthOptions.DefaultCadence"/>.
/// </summary>
public sealed class CadencePolicy
{
    /// <summary>The prefix of the ledger tag that sets a device's cadence.</summary>
    public const string TagPrefix = "cadence-";

    private readonly HealthOptions _options;
    private readonly IReadOnlyDictionary<string, TimeSpan> _models;

    /// <param name="options">The configured cadences.</param>
    /// <param name="profileCadences">The cadence of each hardware profile model; configured models win over these.</param>
    public CadencePolicy(HealthOptions options, IReadOnlyDictionary<string, TimeSpan> profileCadences)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(profileCadences);
        _options = options;
        var models = new Dictionary<string, TimeSpan>(profileCadences, StringComparer.Ordinal);
        foreach (var (model, cadence) in options.Models)
            models[model] = cadence;
        _models = models;
    }

    /// <summary>The cadence of a device and where it comes from: <c>device</c>, <c>ledger</c>, <c>kind</c>, <c>profile</c> or <c>default</c>.</summary>
    public (TimeSpan Cadence, string Origin) For(string device, DeviceKind? kind, string? model, IReadOnlyList<string>? tags)
    {
        if (_options.Devices.TryGetValue(device, out var configured))
            return (configured, "device");
        if (tags is not null)
        {
            foreach (var tag in tags)
            {
                if (tag.StartsWith(TagPrefix, StringComparison.Ordinal) && TryParseDuration(tag[TagPrefix.Length..], out var tagged))
                    return (tagged, "ledger");
            }
        }

        if (kind is { } k && _options.Kinds.TryGetValue(LedgerNames.Of(k), out var byKind))
            return (byKind, "kind");
        if (model is not null && _models.TryGetValue(model, out var byModel))
            return (byModel, "profile");
        return (_options.DefaultCadence, "default");
    }

    /// <summary>Reads <c>30s</c>, <c>15m</c>, <c>1h</c>, <c>1d</c>: a whole number above zero and a unit.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            return false;
        duration = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => TimeSpan.Zero,
        };
        return duration > TimeSpan.Zero;
    }
}
