using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>Checks the <c>Health</c> section at start-up; every message names the key.</summary>
public sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = HealthOptions.SectionName;
        if (options.Interval < TimeSpan.FromSeconds(1))
            failures.Add($"{Section}:Interval is {options.Interval}; expected at least 1s (default 30s).");
        if (options.Window < options.Interval)
            failures.Add($"{Section}:Window is {options.Window}; expected at least {Section}:Interval ({options.Interval}) (default 5m).");
        if (options.FailedAfterUnansweredPolls is < 1 or > 1000)
            failures.Add($"{Section}:FailedAfterUnansweredPolls is {options.FailedAfterUnansweredPolls}; expected 1..1000 (default 3).");
        Rate(failures, "MaxTimeoutRate", options.MaxTimeoutRate, "0.05");
        Rate(failures, "MaxCrcErrorRate", options.MaxCrcErrorRate, "0.01");
        Rate(failures, "MaxExceptionRate", options.MaxExceptionRate, "0");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Rate(List<string> failures, string key, double value, string defaultValue)
    {
        if (value is < 0 or >= 1)
            failures.Add($"{HealthOptions.SectionName}:{key} is {value}; expected a share 0 <= rate < 1 such as 0.05 (default {defaultValue}).");
    }
}
