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

    /// <summary>
    /// This catalog with <paramref name="profiles"/> added; one whose model is already here replaces the profile here,
    /// as a profile the fleet distributes replaces the one a gateway shipped with.
    /// </summary>
    /// <param name="profiles">Profiles with distinct models, e.g. read with <see cref="ProfileLoader.Parse"/>.</param>
    /// <param name="source">Where they came from, for <see cref="Source"/>.</param>
    /// <exception cref="ArgumentException">Two of <paramref name="profiles"/> have the same model.</exception>
    public ProfileCatalog Including(IReadOnlyList<DeviceProfile> profiles, string source)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (profiles.Count == 0)
            return this;
        var added = new Dictionary<string, DeviceProfile>(StringComparer.OrdinalIgnoreCase);
        foreach (var profile in profiles)
        {
            if (!added.TryAdd(profile.Model, profile))
                throw new ArgumentException($"Model '{profile.Model}' is given twice ({added[profile.Model].SourceFile}, {profile.SourceFile}).", nameof(profiles));
        }

        var kept = Profiles.Where(p => !added.ContainsKey(p.Model));
        return new ProfileCatalog($"{Source} and {source}", [.. kept, .. profiles]);
    }

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
