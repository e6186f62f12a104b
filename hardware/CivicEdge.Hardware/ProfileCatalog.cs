namespace CivicEdge.Hardware;

/// <summary>The hardware profiles loaded from one place, looked up by model key (case-insensitive).</summary>
public sealed class ProfileCatalog
{
    private readonly Dictionary<string, DeviceProfile> _byModel;

    internal ProfileCatalog(string source, IReadOnlyList<DeviceProfile> profiles)
    {
        Source = source;
        Profiles = profiles;
        _byModel = profiles.ToDictionary(p => p.Model, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The file or directory the profiles were loaded from.</summary>
    public string Source { get; }

    /// <summary>The profiles in file-name order.</summary>
    public IReadOnlyList<DeviceProfile> Profiles { get; }

    /// <summary>The profile for <paramref name="model"/>, or null when there is none.</summary>
    public DeviceProfile? Find(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return _byModel.GetValueOrDefault(model);
    }

    /// <summary>The profile for <paramref name="model"/>.</summary>
    /// <exception cref="KeyNotFoundException">No profile has that model; the message lists the models there are.</exception>
    public DeviceProfile Get(string model)
    {
        var profile = Find(model);
        if (profile is not null)
            return profile;
        var known = Profiles.Count == 0 ? "it holds no profiles" : $"known models: {string.Join(", ", Profiles.Select(p => p.Model))}";
        throw new KeyNotFoundException($"No hardware profile for model '{model}' in '{Source}'; {known}.");
    }
}
