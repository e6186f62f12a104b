namespace CivicEdge.Hardware;

/// <summary>One problem found in a hardware profile, located the way an editor or compiler would locate it.</summary>
/// <param name="File">The path of the profile file.</param>
/// <param name="Line">The one-based line the problem is on.</param>
/// <param name="Field">The field in profile terms, e.g. <c>points[2].type</c>; empty for a problem with the file as a whole.</param>
/// <param name="Message">What was expected and what was found.</param>
public sealed record ProfileError(string File, int Line, string Field, string Message)
{
    /// <summary>Formats as <c>eastron-sdm630.yaml:14: points[2].type: expected …; found 'float'</c>.</summary>
    public override string ToString()
    {
        var location = $"{Path.GetFileName(File)}:{Line}";
        return Field.Length == 0 ? $"{location}: {Message}" : $"{location}: {Field}: {Message}";
    }
}
