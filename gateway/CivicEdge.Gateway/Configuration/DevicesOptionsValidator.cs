using CivicEdge.Hardware;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// Checks the <c>Devices</c> and <c>Buses</c> arrays at start-up, the devices against the hardware profiles and the
/// buses with <see cref="BusPlan"/>; every message names the key, e.g. <c>Devices:1:Profile</c>.
/// </summary>
/// <param name="catalog">Loads the profiles; called once per validation.</param>
public sealed class DevicesOptionsValidator(Func<ProfileCatalog> catalog) : IValidateOptions<DevicesOptions>
{
    /// <summary>The highest unit identifier a Modbus device may have (Modbus over Serial Line V1.02 §2.2).</summary>
    public const int MaxUnit = 247;

    public ValidateOptionsResult Validate(string? name, DevicesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Devices.Count == 0 && options.Buses.Count == 0)
            return ValidateOptionsResult.Success;

        var failures = new List<string>();
        ProfileCatalog? profiles;
        try
        {
            profiles = catalog();
        }
        catch (OptionsValidationException)
        {
            // The Gateway section is invalid, so the profiles cannot be found; its own validator says why, and the
            // devices are checked without their profiles.
            profiles = null;
        }
        catch (Exception ex) when (ex is ProfileException or IOException or UnauthorizedAccessException)
        {
            failures.Add($"{GatewayOptions.SectionName}:ProfilesPath: {ex.Message}");
            profiles = null;
        }

        var firstUse = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Devices.Count; i++)
            Check(options.Devices[i], $"{DevicesOptions.SectionName}:{i}", i, profiles, firstUse, failures);
        var plan = BusPlan.Resolve(options, failures);
        if (profiles is not null)
            CheckProtocols(options, plan, profiles, failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(
        DeviceOptions device, string key, int index, ProfileCatalog? profiles, Dictionary<string, int> firstUse, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(device.Id))
            failures.Add($"{key}:Id is missing; expected the device's unified device code, e.g. mtr-demo-01.");
        else if (!firstUse.TryAdd(device.Id, index))
            failures.Add($"{key}:Id '{device.Id}' is already used by {DevicesOptions.SectionName}:{firstUse[device.Id]}; expected every device id once.");

        if (string.IsNullOrWhiteSpace(device.Profile))
            failures.Add($"{key}:Profile is missing; expected a hardware profile model{(profiles is null ? "" : $" ({Known(profiles)})")}.");
        else if (profiles is not null)
            CheckProfile(device.Profile, key, profiles, failures);

        if (device.Unit is < 1 or > MaxUnit)
            failures.Add($"{key}:Unit is {device.Unit}; expected a Modbus unit identifier 1..{MaxUnit}.");

        if (device.PollInterval is { } interval && interval <= TimeSpan.Zero)
            failures.Add($"{key}:PollInterval is {interval}; expected a positive duration such as 5s, or none for the profile's interval.");
    }

    /// <summary>Checks that each device's profile speaks its bus's protocol.</summary>
    private static void CheckProtocols(DevicesOptions options, IReadOnlyList<BusAssignment> plan, ProfileCatalog profiles, List<string> failures)
    {
        foreach (var bus in plan)
        {
            foreach (var device in bus.Devices)
            {
                if (profiles.Find(device.Profile) is not { } profile)
                    continue;
                var expected = bus.Link.Kind switch
                {
                    BusKind.MBus => [ProfileProtocols.MBus],
                    BusKind.CjT188 => [ProfileProtocols.CjT188],
                    // One line may carry 2007 and 1997 meters: each version has its master on the line.
                    BusKind.Dlt645 => [ProfileProtocols.Dlt645, ProfileProtocols.Dlt645V1997],
                    _ => new[] { ProfileProtocols.Modbus },
                };
                if (!expected.Contains(profile.Protocol))
                {
                    failures.Add($"{DevicesOptions.SectionName}:{IndexOf(options, device)}:Profile '{profile.Model}' is a {profile.Protocol} profile; " +
                        $"expected a {string.Join(" or ", expected)} profile on the {BusPlan.KindName(bus.Link.Kind)} bus '{bus.Link.Id}'.");
                }
            }
        }
    }

    private static int IndexOf(DevicesOptions options, DeviceOptions device)
    {
        for (var i = 0; i < options.Devices.Count; i++)
        {
            if (ReferenceEquals(options.Devices[i], device))
                return i;
        }
        return -1;
    }

    private static void CheckProfile(string model, string key, ProfileCatalog profiles, List<string> failures)
    {
        if (profiles.Find(model) is null)
            failures.Add($"{key}:Profile '{model}' is not a known hardware profile; {Known(profiles)}.");
    }

    private static string Known(ProfileCatalog profiles) => profiles.Profiles.Count == 0
        ? $"'{profiles.Source}' holds no profiles"
        : $"known models in '{profiles.Source}': {string.Join(", ", profiles.Profiles.Select(p => p.Model))}";
}
