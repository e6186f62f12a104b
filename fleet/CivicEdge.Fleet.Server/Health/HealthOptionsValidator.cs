using CivicEdge.Fleet.Contracts.Ledger;
using CivicEdge.Fleet.Core.Health;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Hardware;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Health;

/// <summary>Checks <c>Fleet:Health</c> at start-up, naming the key, what was expected and what was found.</summary>
internal sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        const string at = HealthOptions.Section;
        var failures = new List<string>();
        Positive("DefaultCadence", options.DefaultCadence);
        Positive("CheckInterval", options.CheckInterval);
        Positive("MeterWindow", options.MeterWindow);
        if (options.Grace < TimeSpan.Zero)
            failures.Add($"{at}:Grace: expected a duration of zero or more such as 00:02:00, found {options.Grace}");
        if (options.MaxOutboxAge <= TimeSpan.Zero)
            failures.Add($"{at}:MaxOutboxAge: expected a duration above zero such as 00:15:00, found {options.MaxOutboxAge}");
        if (options.RestartWindow < TimeSpan.Zero)
            failures.Add($"{at}:RestartWindow: expected a duration of zero or more such as 1.00:00:00, found {options.RestartWindow}");
        if (options.OfflineAfterCadences is < 2 or > 1000)
            failures.Add($"{at}:OfflineAfterCadences: expected 2 to 1000 (one missed cadence makes a device late), found {options.OfflineAfterCadences}");
        if (double.IsNaN(options.MinFreeDiskShare) || options.MinFreeDiskShare is < 0 or >= 1)
            failures.Add($"{at}:MinFreeDiskShare: expected a share from 0 to below 1 such as 0.1, found {options.MinFreeDiskShare}");
        if (string.IsNullOrWhiteSpace(options.LampFailureType))
            failures.Add($"{at}:LampFailureType: expected an alarm type such as lamp_failure, found none");

        foreach (var (device, cadence) in options.Devices)
            Positive($"Devices:{device}", cadence);
        foreach (var (model, cadence) in options.Models)
            Positive($"Models:{model}", cadence);
        foreach (var (kind, cadence) in options.Kinds)
        {
            if (!LedgerNames.TryParse<DeviceKind>(kind, out _))
                failures.Add($"{at}:Kinds:{kind}: expected a device kind ({LedgerNames.All<DeviceKind>()}), found '{kind}'");
            Positive($"Kinds:{kind}", cadence);
        }

        foreach (var (point, range) in options.SupplyVoltage)
        {
            if (range.Min is null && range.Max is null)
                failures.Add($"{at}:SupplyVoltage:{point}: expected Min, Max or both, found neither");
            else if (range is { Min: { } min, Max: { } max } && min > max)
                failures.Add($"{at}:SupplyVoltage:{point}: expected Min ({min}) not above Max ({max})");
        }

        if (!string.IsNullOrWhiteSpace(options.ProfilesPath))
        {
            try
            {
                _ = ProfileCadences.Load(options.ProfilesPath);
            }
            catch (Exception exception) when (exception is ProfileException or IOException or UnauthorizedAccessException)
            {
                failures.Add($"{at}:ProfilesPath: expected a hardware profile file or folder that reads, found '{options.ProfilesPath}': {exception.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(string key, TimeSpan value)
        {
            if (value <= TimeSpan.Zero)
                failures.Add($"{at}:{key}: expected a duration above zero such as 00:15:00, found {value}");
        }
    }
}
