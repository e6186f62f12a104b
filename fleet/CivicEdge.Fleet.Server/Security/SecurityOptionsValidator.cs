using CivicEdge.Fleet.Core.Security;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Security;

/// <summary>Checks <c>Fleet:Security</c> and the security keys of <c>Fleet:Broker</c> at start-up, naming each key.</summary>
internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>, IValidateOptions<BrokerSecurityOptions>
{
    private static readonly TimeSpan LongestGrace = TimeSpan.FromDays(90);

    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        const string at = SecurityOptions.Section;
        var failures = new List<string>();
        if (options.HashIterations is < 1_000 or > 10_000_000)
            failures.Add($"{at}:HashIterations: expected 1000 to 10000000 PBKDF2 iterations, found {options.HashIterations}");
        if (options.CredentialGracePeriod < TimeSpan.Zero || options.CredentialGracePeriod > LongestGrace)
            failures.Add($"{at}:CredentialGracePeriod: expected 00:00:00 to {LongestGrace.TotalDays:0} days, found {options.CredentialGracePeriod}");
        if (options.CertificateValidity < TimeSpan.FromDays(1) || options.CertificateValidity > TimeSpan.FromDays(3650))
            failures.Add($"{at}:CertificateValidity: expected 1 day to 3650 days, found {options.CertificateValidity}");
        if (options.PasswordCacheLifetime < TimeSpan.Zero || options.PasswordCacheLifetime > TimeSpan.FromHours(1))
            failures.Add($"{at}:PasswordCacheLifetime: expected 00:00:00 (hash every request) to 01:00:00, found {options.PasswordCacheLifetime}");
        if (options.PasswordCacheEntries is < 1 or > 1_000_000)
            failures.Add($"{at}:PasswordCacheEntries: expected 1 to 1000000 entries, found {options.PasswordCacheEntries}");
        if (options.MaxFailedPasswords is < 1 or > 10_000)
            failures.Add($"{at}:MaxFailedPasswords: expected 1 to 10000 wrong passwords per window, found {options.MaxFailedPasswords}");
        if (options.FailedPasswordWindow <= TimeSpan.Zero || options.FailedPasswordWindow > TimeSpan.FromDays(1))
            failures.Add($"{at}:FailedPasswordWindow: expected more than 00:00:00 and at most 1 day, found {options.FailedPasswordWindow}");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, BrokerSecurityOptions options)
    {
        const string at = BrokerOptions.Section;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Username) || options.Username.Any(character => char.IsWhiteSpace(character) || char.IsControl(character) || character == ':'))
            failures.Add($"{at}:Username: expected a user name without white space or ':', found '{options.Username}'");
        if (!string.IsNullOrWhiteSpace(options.PasswordFile) && !File.Exists(options.PasswordFile))
            failures.Add($"{at}:PasswordFile: expected a readable file whose first line is the fleet's MQTT password, found no file at '{options.PasswordFile}'");
        if (options.MaxPayloadBytes is < 1024 or > 256 * 1024 * 1024)
            failures.Add($"{at}:MaxPayloadBytes: expected 1024 to 268435456 bytes (the MQTT limit), found {options.MaxPayloadBytes}");

        var tls = options.Tls;
        if (string.IsNullOrWhiteSpace(tls.CertificateFile) != string.IsNullOrWhiteSpace(tls.KeyFile))
            failures.Add($"{at}:Tls:KeyFile: expected CertificateFile and KeyFile together (or neither, for a certificate of the fleet CA), found only {(string.IsNullOrWhiteSpace(tls.KeyFile) ? "CertificateFile" : "KeyFile")}");
        foreach (var (key, path) in new[] { ("CertificateFile", tls.CertificateFile), ("KeyFile", tls.KeyFile), ("CaFile", tls.CaFile) })
        {
            if (!string.IsNullOrWhiteSpace(path) && !File.Exists(path))
                failures.Add($"{at}:Tls:{key}: expected a readable PEM file, found no file at '{path}'");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
