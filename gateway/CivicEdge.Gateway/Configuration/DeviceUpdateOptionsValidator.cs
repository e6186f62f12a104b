using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// Checks the <c>DeviceUpdate</c> section at start-up, the <c>SelfUpdate</c> keys it shares (fleet address, trusted
/// signers) and the uplink's password credential downloads authenticate with; every message names the key.
/// </summary>
public sealed class DeviceUpdateOptionsValidator(IOptions<SelfUpdateOptions> selfUpdate, IOptions<UplinkOptions> uplink) : IValidateOptions<DeviceUpdateOptions>
{
    public ValidateOptionsResult Validate(string? name, DeviceUpdateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
            return ValidateOptionsResult.Success;

        const string section = DeviceUpdateOptions.SectionName;
        const string shared = SelfUpdateOptions.SectionName;
        var failures = new List<string>();
        if (options.Profiles.Count == 0 || options.Profiles.Any(string.IsNullOrWhiteSpace))
            failures.Add($"{section}:Profiles is [{string.Join(", ", options.Profiles)}]; expected the profile models whose devices take updates, none empty.");
        try
        {
            options.Transfer.Validate();
        }
        catch (ArgumentException ex)
        {
            failures.Add($"{section}:Transfer: {ex.Message}");
        }

        var fleet = selfUpdate.Value;
        if (!Uri.TryCreate(fleet.FleetUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            failures.Add($"{shared}:FleetUrl is '{fleet.FleetUrl}'; expected an absolute http:// or https:// address of the fleet's API to download device firmware from.");
        if (UplinkCredentials.DownloadCredentialProblem(uplink.Value, $"{section}:Enabled") is { } credential)
            failures.Add(credential);
        if (fleet.TrustedKeyFiles.Count == 0)
            failures.Add($"{shared}:TrustedKeyFiles is empty; expected at least one PEM public key of a release signer to check device firmware against.");
        else if (fleet.TrustedKeyFiles.FirstOrDefault(file => !File.Exists(file)) is { } missing)
            failures.Add($"{shared}:TrustedKeyFiles names '{missing}'; expected a PEM public key file, found none.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
