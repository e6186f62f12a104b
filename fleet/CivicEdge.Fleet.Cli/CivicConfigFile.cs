using System.Text.Json;

namespace CivicEdge.Fleet.Cli;

/// <summary>
/// The user's <c>civic</c> settings file, <c>$XDG_CONFIG_HOME/civic/config.json</c> (else
/// <c>~/.config/civic/config.json</c>, or the file <c>CIVIC_CONFIG</c> names): <c>{"fleet": "https://…", "apiKey": "ce_…"}</c>.
/// The command line and the environment win over it.
/// </summary>
/// <param name="Path">Where it was read from.</param>
/// <param name="Fleet">The fleet's base URL, or null.</param>
/// <param name="ApiKey">The API key, or null.</param>
/// <param name="ReadableByOthers">True when other users may read the file, and so the key.</param>
public sealed record CivicConfigFile(string Path, string? Fleet, string? ApiKey, bool ReadableByOthers)
{
    public const string EnvironmentVariable = "CIVIC_CONFIG";
    public const string ApiKeyEnvironmentVariable = "CIVIC_API_KEY";

    /// <summary>What a person refused for want of a key is told.</summary>
    public const string KeyHint = $"Give an API key with --api-key, {ApiKeyEnvironmentVariable} or \"apiKey\" in ~/.config/civic/config.json.";

    public static string DefaultPath(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(EnvironmentVariable) is { Length: > 0 } named)
            return named;
        var configHome = environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : System.IO.Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return System.IO.Path.Combine(configHome, "civic", "config.json");
    }

    /// <summary>The settings file, or null when there is none.</summary>
    /// <exception cref="FleetApiException">The file exists but is not such a JSON object; the message names it.</exception>
    public static CivicConfigFile? Load(Func<string, string?> environment)
    {
        var path = DefaultPath(environment);
        if (!File.Exists(path))
            return null;

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new FleetApiException($"{path}: expected a JSON object such as {{\"fleet\": \"http://127.0.0.1:5080\", \"apiKey\": \"ce_…\"}}, found {document.RootElement.ValueKind}.");
            var readableByOthers = !OperatingSystem.IsWindows()
                && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0;
            return new CivicConfigFile(path, Text(document.RootElement, "fleet", path), Text(document.RootElement, "apiKey", path), readableByOthers);
        }
        catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new FleetApiException($"{path}: cannot read the civic settings: {exception.Message}", exception);
        }
    }

    private static string? Text(JsonElement root, string name, string path) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new FleetApiException($"{path}: \"{name}\": expected a string, found {value.ValueKind}.");
}
