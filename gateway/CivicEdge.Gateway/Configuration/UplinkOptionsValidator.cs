using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>Checks the <c>Uplink</c> section at start-up; every message names the key.</summary>
public sealed class UplinkOptionsValidator : IValidateOptions<UplinkOptions>
{
    /// <summary>The largest batch accepted: a batch is one MQTT message and one fleet transaction.</summary>
    public const int MaxBatchSize = 10_000;

    /// <summary>The largest in-flight window accepted.</summary>
    public const int MaxInFlightLimit = 64;

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
        if (options.MaxInFlight is < 1 or > MaxInFlightLimit)
            failures.Add($"{Section}:MaxInFlight is {options.MaxInFlight}; expected 1..{MaxInFlightLimit} (default 1).");
        RequirePositive(failures, "AckTimeout", options.AckTimeout);
        RequirePositive(failures, "ReconnectDelay", options.ReconnectDelay);
        RequirePositive(failures, "KeepAlive", options.KeepAlive);
        if (options.MaxReconnectDelay < options.ReconnectDelay)
            failures.Add($"{Section}:MaxReconnectDelay is {options.MaxReconnectDelay}; expected at least Uplink:ReconnectDelay ({options.ReconnectDelay}).");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
            failures.Add($"{UplinkOptions.SectionName}:{key} is {value}; expected a positive duration such as 10s.");
    }
}
