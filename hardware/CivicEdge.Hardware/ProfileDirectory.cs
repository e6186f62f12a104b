namespace CivicEdge.Hardware;

/// <summary>Finds the <c>hardware/profiles</c> directory of a source tree or an installation.</summary>
public static class ProfileDirectory
{
    /// <summary>The environment variable that names the profiles directory explicitly.</summary>
    public const string EnvironmentVariable = "CIVICEDGE_PROFILES";

    private static readonly string RelativePath = Path.Combine("hardware", "profiles");

    /// <summary>
    /// The directory named by <see cref="EnvironmentVariable"/> if it is set, else the first <c>hardware/profiles</c>
    /// found walking up from the application's directory, then from the current directory.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">None was found; the message says where it looked.</exception>
    public static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
            return fromEnvironment;

        string[] starts = [AppContext.BaseDirectory, Environment.CurrentDirectory];
        return FindAbove(starts) ?? throw new DirectoryNotFoundException(
            $"No hardware profiles directory: {EnvironmentVariable} is not set and no {RelativePath} was found in or above " +
            $"'{starts[0]}' or '{starts[1]}'. Name one with {EnvironmentVariable} or the command's profiles-directory option.");
    }

    /// <summary>The first <c>hardware/profiles</c> found walking up from each start directory in turn, or null.</summary>
    public static string? FindAbove(IEnumerable<string> startDirectories)
    {
        ArgumentNullException.ThrowIfNull(startDirectories);
        foreach (var start in startDirectories)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, RelativePath);
                if (Directory.Exists(candidate))
                    return candidate;
            }
        }
        return null;
    }
}
