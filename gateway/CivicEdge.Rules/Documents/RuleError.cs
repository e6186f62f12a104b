namespace CivicEdge.Rules.Documents;

/// <summary>One problem found in a rule set, located the way an editor or compiler would locate it.</summary>
/// <param name="File">The rule set's file.</param>
/// <param name="Line">One-based line.</param>
/// <param name="Column">One-based column.</param>
/// <param name="Field">The field in rule-set terms, e.g. <c>rules[2].when</c>; empty for the file as a whole.</param>
/// <param name="Message">What was expected and what was found.</param>
public sealed record RuleError(string File, int Line, int Column, string Field, string Message)
{
    /// <summary>Formats as <c>pole.yaml:14:23: rules[2].when: expected …; found …</c>.</summary>
    public override string ToString()
    {
        var location = $"{Path.GetFileName(File)}:{Line}:{Column}";
        return Field.Length == 0 ? $"{location}: {Message}" : $"{location}: {Field}: {Message}";
    }
}
