using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>Checks the <c>Commands</c> section at start-up; every message names the key.</summary>
public sealed class CommandOptionsValidator : IValidateOptions<CommandOptions>
{
    public ValidateOptionsResult Validate(string? name, CommandOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxWritesPerMinute is < 1 or > 6000)
            failures.Add($"{CommandOptions.SectionName}:MaxWritesPerMinute is {options.MaxWritesPerMinute}; expected 1..6000 writes per device per minute.");
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(5))
            failures.Add($"{CommandOptions.SectionName}:Timeout is {options.Timeout}; expected more than 0 and at most 00:05:00.");
        if (options.RememberedCommands is < 1 or > 1_000_000)
            failures.Add($"{CommandOptions.SectionName}:RememberedCommands is {options.RememberedCommands}; expected 1..1000000.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
