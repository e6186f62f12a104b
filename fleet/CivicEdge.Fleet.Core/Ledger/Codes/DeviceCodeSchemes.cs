namespace CivicEdge.Fleet.Core.Ledger.Codes;

/// <summary>The code schemes the fleet ships, chosen by <see cref="LedgerOptions.CodeScheme"/>.</summary>
public static class DeviceCodeSchemes
{
    public static IReadOnlyList<string> Names { get; } =
        [ProvinceDeviceCodeScheme.SchemeName, PatternDeviceCodeScheme.SchemeName, TopicLevelDeviceCodeScheme.SchemeName];

    /// <summary>The scheme the options name.</summary>
    /// <exception cref="ArgumentException">The options name no shipped scheme, or a pattern scheme without a valid pattern.</exception>
    public static IDeviceCodeScheme From(LedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.CodeScheme switch
        {
            ProvinceDeviceCodeScheme.SchemeName => new ProvinceDeviceCodeScheme(),
            TopicLevelDeviceCodeScheme.SchemeName => new TopicLevelDeviceCodeScheme(),
            PatternDeviceCodeScheme.SchemeName => new PatternDeviceCodeScheme(options.CodePattern, options.CodeCheckCharacter),
            _ => throw new ArgumentException(
                $"Expected one of {string.Join(", ", Names)}, got '{options.CodeScheme}'.", nameof(options)),
        };
    }
}
