using CivicEdge.Fleet.Contracts.Ota;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Ota;

/// <summary>Checks <c>Fleet:Ota</c> at start-up: every trusted key file readable and an ECDSA P-256 public key, naming the key and file; sizes, intervals and the status backlog above zero.</summary>
internal sealed class OtaOptionsValidator : IValidateOptions<OtaOptions>
{
    public ValidateOptionsResult Validate(string? name, OtaOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.TrustedKeyFiles.Count; i++)
        {
            var path = options.TrustedKeyFiles[i];
            var key = $"{OtaOptions.Section}:TrustedKeyFiles:{i}";
            try
            {
                using var _ = OtaPublicKey.FromPem(File.ReadAllText(path));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
                failures.Add($"{key}: expected a readable PEM public key file, found '{path}' that cannot be read: {ex.Message}");
            }
            catch (FormatException ex)
            {
                failures.Add($"{key}: {path}: {ex.Message}");
            }
        }

        if (options.MaxArtifactBytes < 1)
            failures.Add($"{OtaOptions.Section}:MaxArtifactBytes: expected a size in bytes of at least 1, found {options.MaxArtifactBytes}");
        if (options.SpoolDirectory is { } spool && !Directory.Exists(spool))
            failures.Add($"{OtaOptions.Section}:SpoolDirectory: expected an existing directory, found '{spool}' that does not exist");
        if (options.CampaignStepInterval <= TimeSpan.Zero)
            failures.Add($"{OtaOptions.Section}:CampaignStepInterval: expected a time above zero such as 00:00:05, found {options.CampaignStepInterval}");
        if (options.OfferResendInterval <= TimeSpan.Zero)
            failures.Add($"{OtaOptions.Section}:OfferResendInterval: expected a time above zero such as 00:01:00, found {options.OfferResendInterval}");
        if (options.PendingStatusCapacity < 1)
            failures.Add($"{OtaOptions.Section}:PendingStatusCapacity: expected a number of reports of at least 1 such as 100000, found {options.PendingStatusCapacity}");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
