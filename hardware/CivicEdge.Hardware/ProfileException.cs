namespace CivicEdge.Hardware;

/// <summary>
/// One or more hardware profiles are invalid. A profile is configuration, so a bad one is refused as a whole:
/// every problem found is listed, each with its file, line and field.
/// </summary>
public sealed class ProfileException : FormatException
{
    public ProfileException(IReadOnlyList<ProfileError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found, in file and line order.</summary>
    public IReadOnlyList<ProfileError> Errors { get; }

    private static string Describe(IReadOnlyList<ProfileError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
            throw new ArgumentException("A profile exception needs at least one error.", nameof(errors));
        var heading = errors.Count == 1 ? "Invalid hardware profile:" : $"Invalid hardware profiles ({errors.Count} errors):";
        return string.Join(Environment.NewLine + "  ", errors.Select(e => e.ToString()).Prepend(heading));
    }
}
