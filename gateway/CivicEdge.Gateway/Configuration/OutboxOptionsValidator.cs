using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>Checks the <c>Gateway:Outbox</c> section at start-up; every message names the key.</summary>
public sealed class OutboxOptionsValidator : IValidateOptions<OutboxOptions>
{
    /// <summary>The smallest outbox accepted: below this a short outage would already drop readings.</summary>
    public const int MinRecords = 1_000;

    public ValidateOptionsResult Validate(string? name, OutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = OutboxOptions.SectionName;

        if (options.MaxRecords < MinRecords)
            failures.Add($"{Section}:MaxRecords is {options.MaxRecords}; expected at least {MinRecords} (default 2000000).");
        if (options.MaxMegabytes < 1)
            failures.Add($"{Section}:MaxMegabytes is {options.MaxMegabytes}; expected at least 1 (default 1024).");
        if (options.MemoryQueueCapacity < 1)
            failures.Add($"{Section}:MemoryQueueCapacity is {options.MemoryQueueCapacity}; expected at least 1 (default 100000).");
        RequirePositive(failures, "OverflowReportInterval", options.OverflowReportInterval);
        RequirePositive(failures, "RetryDelay", options.RetryDelay);
        if (options.MaxRetryDelay < options.RetryDelay)
            failures.Add($"{Section}:MaxRetryDelay is {options.MaxRetryDelay}; expected at least {Section}:RetryDelay ({options.RetryDelay}).");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void RequirePositive(List<string> failures, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
            failures.Add($"{OutboxOptions.SectionName}:{key} is {value}; expected a positive duration such as 5m.");
    }
}
