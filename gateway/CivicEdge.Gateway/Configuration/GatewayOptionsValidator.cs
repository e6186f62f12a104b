using CivicEdge.Fleet.Contracts;
using CivicEdge.Hardware;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>Checks the <c>Gateway</c> section at start-up; every message names the key.</summary>
public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = GatewayOptions.SectionName;

        if (string.IsNullOrWhiteSpace(options.Id))
            failures.Add($"{Section}:Id is missing; expected the gateway's unified device code, e.g. gw-demo-01.");
        else if (!Topics.IsValidSegment(options.Id))
            failures.Add($"{Section}:Id '{options.Id}' is not a single MQTT topic level; expected no '/', '+', '#' or NUL characters.");

        if (string.IsNullOrWhiteSpace(options.DataPath))
            failures.Add($"{Section}:DataPath is empty; expected the outbox's LiteDB file (default {GatewayOptions.DefaultDataPath}).");

        if (string.IsNullOrWhiteSpace(options.ProfilesPath))
        {
            failures.Add(
                $"{Section}:ProfilesPath is not set, {ProfileDirectory.EnvironmentVariable} is not set and no hardware/profiles " +
                $"directory was found above '{AppContext.BaseDirectory}' or '{Environment.CurrentDirectory}'; expected a directory of hardware profiles.");
        }
        else if (!Directory.Exists(options.ProfilesPath))
        {
            failures.Add($"{Section}:ProfilesPath '{Path.GetFullPath(options.ProfilesPath)}' does not exist; expected a directory of hardware profiles.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
