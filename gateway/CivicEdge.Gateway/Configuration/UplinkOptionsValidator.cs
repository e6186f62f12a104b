using CivicEdge.Gateway.Uplink;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>Checks the <c>Uplink</c> section at start-up; every message names the key.</summary>
public sealed class UplinkOptionsValidator : IValidateOptions<UplinkOptions>
{
    /// <summary>The largest batch accepted: a batch is one MQTT message and one fleet transaction.</summary>
    public const int MaxBatchSize = 10_000;

    /// <summary>The largest in-flight window accepted.</summary>
    public const int MaxInFlightLimit = 64;

    /// <summary>The highest send rate accepted.</summary>
    public const int MaxRecordsPerSecondLimit = 1_000_000;

    public ValidateOptionsResult Validate(string? name, UplinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = UplinkOptions.SectionName;

        if (string.IsNullOrWhiteSpace(options.Host))
            failures.Add($"{Section}:Host is empty; expected the MQTT broker's host name or address (default 127.0.0.1).");
        if (options.Port is < 1 or > 65535)
            failures.Add($"{Section}:Port is {options.Port}; expected 1..65535 (default 1883).");
        if (options.BatchSize is < 1 or > MaxBatchSize)
            failures.Add($"{Section}:BatchSize is {options.BatchSize}; expected 1..{MaxBatchSize} (default 200).");
        if (options.MaxMessageBytes is < 1_024 or > 268_435_455)
            failures.Add($"{Section}:MaxMessageBytes is {options.MaxMessageBytes}; expected 1024..268435455, the MQTT maximum (default 262144).");
        if (options.MaxInFlight is < 1 or > MaxInFlightLimit)
            failures.Add($"{Section}:MaxInFlight is {options.MaxInFlight}; expected 1..{MaxInFlightLimit} (default 4).");
        if (options.MaxRecordsPerSecond is < 1 or > MaxRecordsPerSecondLimit)
            failures.Add($"{Section}:MaxRecordsPerSecond is {options.MaxRecordsPerSecond}; expected 1..{MaxRecordsPerSecondLimit} (default 2000).");
        RequirePositive(failures, "AckTimeout", options.AckTimeout);
        RequirePositive(failures, "LiveAfter", options.LiveAfter);
        RequirePositive(failures, "LiveInterval", options.LiveInterval);
        RequirePositive(failures, "ReconnectDelay", options.ReconnectDelay);
        RequirePositive(failures, "KeepAlive", options.KeepAlive);
        if (options.MaxReconnectDelay < options.ReconnectDelay)
            failures.Add($"{Section}:MaxReconnectDelay is {options.MaxReconnectDelay}; expected at least Uplink:ReconnectDelay ({options.ReconnectDelay}).");

        ValidateTls(options, failures);
        ValidateCredentials(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateTls(UplinkOptions options, List<string> failures)
    {
        const string Section = UplinkOptions.SectionName;
        if (!options.Tls)
        {
            // A certificate configured for a plain connection means the operator expects TLS and would not get it.
            foreach (var (key, value) in new[] { ("CaFile", options.CaFile), ("CertificateFile", options.CertificateFile), ("KeyFile", options.KeyFile), ("ServerName", options.ServerName) })
            {
                if (!string.IsNullOrWhiteSpace(value))
                    failures.Add($"{Section}:{key} is set but {Section}:Tls is false; expected {Section}:Tls=true to connect over TLS, or no {key}.");
            }

            return;
        }

        if (!string.IsNullOrWhiteSpace(options.CaFile))
        {
            try
            {
                BrokerTrust.LoadAuthorities(options.CaFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or InvalidDataException)
            {
                failures.Add($"{Section}:CaFile '{options.CaFile}': {ex.Message}; expected a PEM file of one or more CA certificates.");
            }
        }

        var hasCertificate = !string.IsNullOrWhiteSpace(options.CertificateFile);
        var hasKey = !string.IsNullOrWhiteSpace(options.KeyFile);
        if (hasCertificate != hasKey)
        {
            failures.Add(hasCertificate
                ? $"{Section}:CertificateFile is set without {Section}:KeyFile; expected both (PEM certificate and its private key) or neither."
                : $"{Section}:KeyFile is set without {Section}:CertificateFile; expected both (PEM certificate and its private key) or neither.");
        }
        else if (hasCertificate)
        {
            try
            {
                using var certificate = BrokerTrust.LoadClientCertificate(options.CertificateFile!, options.KeyFile!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                failures.Add($"{Section}:CertificateFile '{options.CertificateFile}' with {Section}:KeyFile '{options.KeyFile}': {ex.Message}; expected a PEM certificate and its PEM private key.");
            }
        }
    }

    private static void ValidateCredentials(UplinkOptions options, List<string> failures)
    {
        const string Section = UplinkOptions.SectionName;
        var hasPassword = !string.IsNullOrEmpty(options.Password);
        var hasPasswordFile = !string.IsNullOrWhiteSpace(options.PasswordFile);
        if (hasPassword && hasPasswordFile)
            failures.Add($"{Section}:Password and {Section}:PasswordFile are both set; expected one of them.");
        if ((hasPassword || hasPasswordFile) && string.IsNullOrWhiteSpace(options.Username))
            failures.Add($"{Section}:Username is missing; expected the gateway's MQTT user name when a password is configured.");
        if (hasPasswordFile)
        {
            try
            {
                UplinkCredentials.ReadPasswordFile(options.PasswordFile!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                failures.Add($"{Section}:PasswordFile '{options.PasswordFile}': {ex.Message}; expected a readable file whose first line is the password.");
            }
        }
    }

    private static void RequirePositive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
            failures.Add($"{UplinkOptions.SectionName}:{key} is {value}; expected a positive duration such as 10s.");
    }
}
