namespace CivicEdge.Rules.Documents;

/// <summary>
/// Loads rule sets (schema <see cref="SupportedSchema"/>). A rule set is configuration: every problem is collected and
/// reported together as one <see cref="RuleSetException"/>, each with file, line, column and field, and nothing of a
/// bad rule set is used.
/// </summary>
public static class RuleSetLoader
{
    /// <summary>The schema identifier and version that rule-set files declare in their <c>schema</c> field.</summary>
    public const string SupportedSchema = "civicedge.rules/v1";

    /// <summary>The device name under which expressions read the rule set's virtual points: <c>virtual.night_mode</c>.</summary>
    public const string VirtualDevice = "virtual";

    /// <summary>Loads one rule-set file.</summary>
    /// <exception cref="RuleSetException">The file is invalid.</exception>
    public static RuleSet LoadFile(string path, IPointCatalog catalog)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), path, catalog);
    }

    /// <summary>Reads a rule set from YAML text, e.g. one received from the fleet.</summary>
    /// <param name="yaml">The rule-set text.</param>
    /// <param name="sourceFile">The name to use in error messages.</param>
    /// <param name="catalog">The device models and points that the rule set may name.</param>
    /// <exception cref="RuleSetException">The text is not a valid rule set.</exception>
    public static RuleSet Parse(string yaml, string sourceFile, IPointCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(sourceFile);
        ArgumentNullException.ThrowIfNull(catalog);
        var errors = new List<RuleError>();
        var ruleSet = RuleSetReader.Read(yaml, sourceFile, catalog, errors);
        if (errors.Count > 0 || ruleSet is null)
            throw new RuleSetException([.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
        return ruleSet;
    }
}
