using CivicEdge.Hardware;
using CivicEdge.Rules.Documents;
using Microsoft.Extensions.Options;

namespace CivicEdge.Gateway.Configuration;

/// <summary>
/// Checks the <c>Rules</c> section at start-up: the place and time zone, and every rule-set file loaded against the
/// profiles, so a bad rule set stops the gateway with its file, line, column and field instead of being skipped.
/// </summary>
public sealed class RulesOptionsValidator(Func<ProfileCatalog> profiles) : IValidateOptions<RulesOptions>
{
    public ValidateOptionsResult Validate(string? name, RulesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string section = RulesOptions.SectionName;
        if (!double.IsFinite(options.Latitude) || Math.Abs(options.Latitude) > 90)
            failures.Add($"{section}:Latitude is {options.Latitude}; expected degrees between -90 and 90 (north positive).");
        if (!double.IsFinite(options.Longitude) || Math.Abs(options.Longitude) > 180)
            failures.Add($"{section}:Longitude is {options.Longitude}; expected degrees between -180 and 180 (east positive).");
        if (!TryFindTimeZone(options.TimeZone, out _))
            failures.Add($"{section}:TimeZone is '{options.TimeZone}'; expected an IANA time zone such as UTC or Asia/Shanghai.");
        if (options.TickInterval < TimeSpan.FromMilliseconds(10) || options.TickInterval > TimeSpan.FromMinutes(1))
            failures.Add($"{section}:TickInterval is {options.TickInterval}; expected 10ms..1m.");
        if (options.StaleAfter <= TimeSpan.Zero)
            failures.Add($"{section}:StaleAfter is {options.StaleAfter}; expected a positive duration.");
        if (!options.Enabled || failures.Count > 0)
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        ProfilePointCatalog catalog;
        try
        {
            catalog = new ProfilePointCatalog(profiles());
        }
        catch (Exception ex) when (ex is OptionsValidationException or ProfileException or IOException or UnauthorizedAccessException)
        {
            // The rule sets cannot be checked without the profiles, whose own problems the Devices section reports.
            return ValidateOptionsResult.Success;
        }

        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Files.Count; i++)
        {
            var file = options.Files[i];
            if (!File.Exists(file))
            {
                failures.Add($"{section}:Files:{i} is '{file}'; expected a rule-set file, found none there.");
                continue;
            }

            try
            {
                var ruleSet = RuleSetLoader.LoadFile(file, catalog);
                if (!ids.TryAdd(ruleSet.Id, file))
                    failures.Add($"{section}:Files:{i} ('{file}') has the id '{ruleSet.Id}' of '{ids[ruleSet.Id]}'; expected each rule set once.");
            }
            catch (RuleSetException ex)
            {
                failures.AddRange(ex.Errors.Select(e => $"{section}:Files:{i}: {e}"));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The time zone named <paramref name="id"/> (IANA, or Windows on Windows).</summary>
    public static bool TryFindTimeZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
            return false;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
