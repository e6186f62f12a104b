namespace CivicEdge.Hardware;

/// <summary>
/// Loads hardware profiles (schema <see cref="SupportedSchema"/>, documented in <c>hardware/profiles/README.md</c>).
/// A profile is configuration: every problem in every file is collected and reported together as one
/// <see cref="ProfileException"/>, each naming its file, line and field.
/// </summary>
public static class ProfileLoader
{
    /// <summary>The schema identifier and version that profile files must declare in their <c>schema</c> field.</summary>
    public const string SupportedSchema = "civicedge.profile/v1";

    private static readonly string[] Extensions = [".yaml", ".yml"];

    /// <summary>Loads one profile file, or every <c>*.yaml</c>/<c>*.yml</c> file directly inside a directory.</summary>
    /// <exception cref="ProfileException">A file is invalid, or two files define the same model.</exception>
    /// <exception cref="FileNotFoundException">Nothing exists at <paramref name="path"/>.</exception>
    public static ProfileCatalog Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            return LoadDirectory(path);
        if (File.Exists(path))
            return Catalog(path, [path]);
        throw new FileNotFoundException($"No hardware profile file or directory at '{Path.GetFullPath(path)}'.", path);
    }

    /// <summary>Loads every <c>*.yaml</c>/<c>*.yml</c> file directly inside <paramref name="directory"/>, in name order.</summary>
    /// <exception cref="ProfileException">A file is invalid, or two files define the same model.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static ProfileCatalog LoadDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"No hardware profiles directory at '{Path.GetFullPath(directory)}'.");
        var files = Directory.EnumerateFiles(directory)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        return Catalog(directory, files);
    }

    /// <summary>Loads one profile file.</summary>
    /// <exception cref="ProfileException">The file is invalid.</exception>
    public static DeviceProfile LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a profile from YAML text, e.g. one received from the fleet.</summary>
    /// <param name="yaml">The profile text.</param>
    /// <param name="sourceFile">The file name to use in error messages and <see cref="DeviceProfile.SourceFile"/>.</param>
    /// <exception cref="ProfileException">The text is not a valid profile.</exception>
    public static DeviceProfile Parse(string yaml, string sourceFile)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(sourceFile);
        var errors = new List<ProfileError>();
        var read = ProfileReader.Read(yaml, sourceFile, errors);
        return read?.Profile ?? throw new ProfileException(InOrder(errors));
    }

    private static ProfileCatalog Catalog(string source, List<string> files)
    {
        var errors = new List<ProfileError>();
        var profiles = new List<DeviceProfile>();
        var models = new Dictionary<string, ReadProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            var read = ProfileReader.Read(File.ReadAllText(file), file, errors);
            if (read is null)
                continue;
            if (models.TryGetValue(read.Profile.Model, out var first))
            {
                var where = $"{Path.GetFileName(first.Profile.SourceFile)}:{first.ModelLine}";
                errors.Add(new ProfileError(file, (int)read.ModelLine, "model",
                    $"model '{read.Profile.Model}' is already defined in {where}; expected each model in exactly one file"));
                continue;
            }
            models.Add(read.Profile.Model, read);
            profiles.Add(read.Profile);
        }
        if (errors.Count > 0)
            throw new ProfileException(InOrder(errors));
        return new ProfileCatalog(source, profiles);
    }

    private static List<ProfileError> InOrder(List<ProfileError> errors) =>
        [.. errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line)];
}
