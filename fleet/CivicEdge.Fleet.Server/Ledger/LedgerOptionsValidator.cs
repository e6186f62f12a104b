using System.Text.RegularExpressions;
using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Core.Ledger.Codes;
using Microsoft.Extensions.Options;

namespace CivicEdge.Fleet.Server.Ledger;

/// <summary>Checks <c>Fleet:Ledger</c> at start-up, naming the key, what was expected and what was found.</summary>
internal sealed class LedgerOptionsValidator : IValidateOptions<LedgerOptions>
{
    private static readonly TimeSpan LongestClaimTokenLifetime = TimeSpan.FromDays(30);

    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        const string at = LedgerOptions.Section;
        var failures = new List<string>();
        if (!DeviceCodeSchemes.Names.Contains(options.CodeScheme, StringComparer.Ordinal))
            failures.Add($"{at}:CodeScheme: expected one of {string.Join(", ", DeviceCodeSchemes.Names)}, found '{options.CodeScheme}'");

        if (options.CodeScheme == PatternDeviceCodeScheme.SchemeName)
        {
            if (string.IsNullOrWhiteSpace(options.CodePattern))
                failures.Add($"{at}:CodePattern: expected a regular expression for the pattern scheme, such as ^[0-9]{{6}}[A-Z]{{2}}[0-9A-Z]{{9}}$, found none");
            else if (!IsRegex(options.CodePattern, out var error))
                failures.Add($"{at}:CodePattern: expected a regular expression, found '{options.CodePattern}' ({error})");
        }

        if (options.CodeCheckCharacter is not (PatternDeviceCodeScheme.NoCheck or PatternDeviceCodeScheme.Mod37Of36 or PatternDeviceCodeScheme.Mod11Of10))
        {
            failures.Add($"{at}:CodeCheckCharacter: expected {PatternDeviceCodeScheme.NoCheck}, {PatternDeviceCodeScheme.Mod37Of36} or {PatternDeviceCodeScheme.Mod11Of10}, found '{options.CodeCheckCharacter}'");
        }

        if (double.IsNaN(options.DuplicateRadiusMetres) || options.DuplicateRadiusMetres is < 0 or > 100_000)
            failures.Add($"{at}:DuplicateRadiusMetres: expected 0 (no check) to 100000 metres, found {options.DuplicateRadiusMetres}");
        if (options.MaxClaimTokenLifetime <= TimeSpan.Zero || options.MaxClaimTokenLifetime > LongestClaimTokenLifetime)
            failures.Add($"{at}:MaxClaimTokenLifetime: expected more than 0 and at most {LongestClaimTokenLifetime.TotalDays:0} days, found {options.MaxClaimTokenLifetime}");
        if (options.ClaimTokenLifetime <= TimeSpan.Zero || options.ClaimTokenLifetime > options.MaxClaimTokenLifetime)
            failures.Add($"{at}:ClaimTokenLifetime: expected more than 0 and at most MaxClaimTokenLifetime ({options.MaxClaimTokenLifetime}), found {options.ClaimTokenLifetime}");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsRegex(string pattern, out string error)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            error = string.Empty;
            return true;
        }
        catch (ArgumentException exception)
        {
            error = exception.Message;
            return false;
        }
    }
}
