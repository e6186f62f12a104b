using CivicEdge.Hardware;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// Buses and devices that have passed every check the gateway makes at start-up, with the profiles they are polled by:
/// what <see cref="Acquisition.AcquisitionService"/> can run. Built the same way whether the configuration comes from
/// the local file or from the fleet.
/// </summary>
public sealed class DeviceConfiguration
{
    private DeviceConfiguration(DevicesOptions options, ProfileCatalog profiles, IReadOnlyList<BusAssignment> buses)
    {
        Options = options;
        Profiles = profiles;
        Buses = buses;
    }

    /// <summary>The buses and devices as configured.</summary>
    public DevicesOptions Options { get; }

    /// <summary>The profiles the devices are polled by.</summary>
    public ProfileCatalog Profiles { get; }

    /// <summary>The buses to open and the devices on each.</summary>
    public IReadOnlyList<BusAssignment> Buses { get; }

    /// <summary>An empty configuration: nothing polled.</summary>
    public static DeviceConfiguration Empty(ProfileCatalog profiles) => new(new DevicesOptions(), profiles, []);

    /// <summary>
    /// Checks <paramref name="options"/> against <paramref name="profiles"/> with <see cref="DevicesOptionsValidator"/>
    /// and <see cref="BusPlan"/>, adding every problem to <paramref name="failures"/> with its key.
    /// </summary>
    /// <returns>The configuration, or null when there was any problem.</returns>
    public static DeviceConfiguration? TryCreate(DevicesOptions options, ProfileCatalog profiles, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(failures);
        var before = failures.Count;
        var result = new DevicesOptionsValidator(() => profiles).Validate(null, options);
        if (result.Failed)
            failures.AddRange(result.Failures ?? [result.FailureMessage]);
        if (failures.Count != before)
            return null;
        var buses = BusPlan.Resolve(options, failures);
        return failures.Count != before ? null : new DeviceConfiguration(options, profiles, buses);
    }

    /// <summary>
    /// Loads the profiles of <paramref name="profilesPath"/> afresh (an installer may have added one) and adds the YAML
    /// texts in <paramref name="texts"/>, named <c>profiles[N]</c> in errors; one with the model of a file replaces it.
    /// </summary>
    /// <returns>The catalog, or null when a file or a text is not a valid profile (each error added with file, line and field).</returns>
    public static ProfileCatalog? LoadProfiles(string profilesPath, IReadOnlyList<string> texts, List<string> failures)
    {
        ArgumentException.ThrowIfNullOrEmpty(profilesPath);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(failures);
        var before = failures.Count;
        ProfileCatalog? catalog = null;
        try
        {
            catalog = ProfileLoader.LoadDirectory(profilesPath);
        }
        catch (ProfileException ex)
        {
            failures.AddRange(ex.Errors.Select(e => $"{GatewayOptions.SectionName}:ProfilesPath: {e}"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failures.Add($"{GatewayOptions.SectionName}:ProfilesPath: {ex.Message}");
        }

        var extra = new List<DeviceProfile>();
        var models = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < texts.Count; i++)
        {
            var name = $"profiles[{i}]";
            try
            {
                var profile = ProfileLoader.Parse(texts[i] ?? string.Empty, name);
                if (models.TryAdd(profile.Model, i))
                    extra.Add(profile);
                else
                    failures.Add($"{name}: model '{profile.Model}' is already given by profiles[{models[profile.Model]}]; expected each model once.");
            }
            catch (ProfileException ex)
            {
                failures.AddRange(ex.Errors.Select(e => e.ToString()));
            }
        }

        return failures.Count != before || catalog is null ? null : catalog.Including(extra, "the fleet's profiles");
    }
}
