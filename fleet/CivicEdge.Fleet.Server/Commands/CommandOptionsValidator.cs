using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Commands;

/// <summary>Checks <c>Fleet:Commands</c> at start-up, naming the key, what was expected and what was found.</summary>
internal sealed class CommandOptionsValidator : IValidateOptions<CommandOptions>
{
    private const string ExpectedPeriod = "a period such as 30s, 10m, 36h or 7d";

    public ValidateOptionsResult Validate(string? name, CommandOptions options)
    {
        var failures = new List<string>();
        CheckPeriod(nameof(options.DefaultExpiry), options.DefaultExpiry, failures);
        CheckPeriod(nameof(options.MaxExpiry), options.MaxExpiry, failures);
        CheckPeriod(nameof(options.MaxWait), options.MaxWait, failures);
        CheckPeriod(nameof(options.SweepInterval), options.SweepInterval, failures);
        CheckPeriod(nameof(options.ResendAfter), options.ResendAfter, failures);
        if (failures.Count == 0 && options.DefaultExpiryPeriod > options.MaxExpiryPeriod)
            failures.Add($"{CommandOptions.Section}:DefaultExpiry: expected at most MaxExpiry ({options.MaxExpiry}), found '{options.DefaultExpiry}'");
        if (options.MaxTargets is < 1 or > 100_000)
            failures.Add($"{CommandOptions.Section}:MaxTargets: expected 1..100000, found {options.MaxTargets}");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckPeriod(string key, string? value, List<string> failures)
    {
        if (!RetentionOptions.TryParsePeriod(value, out _))
            failures.Add($"{CommandOptions.Section}:{key}: expected {ExpectedPeriod}, found '{value}'");
    }
}
