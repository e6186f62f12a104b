using CivicEdge.Hardware;

namespace CivicEdge.Fleet.Server.Health;

/// <summary>The cadence each hardware profile gives its model: how long it may stay silent (<c>maxSilence</c>), else its poll interval.</summary>
internal static class ProfileCadences
{
    /// <summary>The cadences of the profiles at <paramref name="path"/> (a file or a folder); none when the path is empty.</summary>
    /// <exception cref="ProfileException">A profile cannot be read; the message names the file, line and field.</exception>
    public static IReadOnlyDictionary<string, TimeSpan> Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        return ProfileLoader.Load(path).Profiles.ToDictionary(p => p.Model, p => p.MaxSilence ?? p.PollInterval, StringComparer.Ordinal);
    }
}
