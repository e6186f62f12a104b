namespace CivicEdge.Rules.Documents;

/// <summary>A rule set is invalid and is refused as a whole; every problem found is listed with file, line, column and field.</summary>
public sealed class RuleSetException : FormatException
{
    public RuleSetException(IReadOnlyList<RuleError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found, in line order.</summary>
    public IReadOnlyList<RuleError> Errors { get; }

    private static string Describe(IReadOnlyList<RuleError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
            throw new ArgumentException("A rule set exception needs at least one error.", nameof(errors));
        var heading = errors.Count == 1 ? "Invalid rule set:" : $"Invalid rule set ({errors.Count} errors):";
        return string.Join(Environment.NewLine + "  ", errors.Select(e => e.ToString()).Prepend(heading));
    }
}
