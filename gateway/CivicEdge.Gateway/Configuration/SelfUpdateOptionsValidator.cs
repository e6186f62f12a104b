using CivicEdge.Fleet.Contracts.Ota;
using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// Checks the <c>SelfUpdate</c> section at start-up, trusted keys read and parsed, and that the uplink has the password
/// credential downloads authenticate with; every message names the key.
/// </summary>
public sealed class SelfUpdateOptionsValidator(IOptions<UplinkOptions> uplink) : IValidateOptions<SelfUpdateOptions>
{
    public ValidateOptionsResult Validate(string? name, SelfUpdateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
            return ValidateOptionsResult.Success;

        const string section = SelfUpdateOptions.SectionName;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.InstallRoot) || !Path.IsPathRooted(options.InstallRoot))
            failures.Add($"{section}:InstallRoot is '{options.InstallRoot}'; expected the absolute path of the install folder holding 'current' and 'slots'.");
        else if (new FileInfo(Path.Combine(options.InstallRoot, "current")).LinkTarget is null)
            failures.Add($"{section}:InstallRoot is '{options.InstallRoot}'; expected a folder whose 'current' is a symbolic link to slots/a or slots/b, found none (install with slots, see the README).");
        if (string.IsNullOrWhiteSpace(options.HardwareModel))
            failures.Add($"{section}:HardwareModel is empty; expected this box's hardware model as the artifacts' manifests name it.");
        if (!Uri.TryCreate(options.FleetUrl, UriKind.Absolute, out var fleet) || (fleet.Scheme != Uri.UriSchemeHttp && fleet.Scheme != Uri.UriSchemeHttps))
            failures.Add($"{section}:FleetUrl is '{options.FleetUrl}'; expected an absolute http:// or https:// address of the fleet's API.");
        if (UplinkCredentials.DownloadCredentialProblem(uplink.Value, $"{section}:Enabled") is { } credential)
            failures.Add(credential);
        if (options.TrustedKeyFiles.Count == 0)
            failures.Add($"{section}:TrustedKeyFiles is empty; expected at least one PEM public key of a release signer.");
        for (var i = 0; i < options.TrustedKeyFiles.Count; i++)
        {
            var file = options.TrustedKeyFiles[i];
            try
            {
                using var key = OtaPublicKey.FromPem(File.ReadAllText(file));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                failures.Add($"{section}:TrustedKeyFiles:{i} is '{file}'; {ex.Message}.");
            }
        }
        if (options.HealthWindow <= TimeSpan.Zero || options.HealthWindow >= options.TrialDeadline)
            failures.Add($"{section}:HealthWindow is {options.HealthWindow}; expected more than 0 and less than {section}:TrialDeadline ({options.TrialDeadline}).");
        if (options.MaxTrialBoots is < 1 or > 100)
            failures.Add($"{section}:MaxTrialBoots is {options.MaxTrialBoots}; expected 1..100 starts.");
        if (options.MaxBytesPerSecond < 0)
            failures.Add($"{section}:MaxBytesPerSecond is {options.MaxBytesPerSecond}; expected 0 (no cap) or more.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
