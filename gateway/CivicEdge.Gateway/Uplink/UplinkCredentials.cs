using CivicEdge.Gateway.Configuration;

namespace CivicEdge.Gateway.Uplink;

/// <summary>The gateway's MQTT user name and password, from the configuration or from a password file.</summary>
public static class UplinkCredentials
{
    /// <summary>Reads the password: the first line of the file, without its line ending.</summary>
    /// <exception cref="InvalidDataException">The file is empty.</exception>
    public static string ReadPasswordFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path);
        var password = reader.ReadLine();
        if (string.IsNullOrEmpty(password))
            throw new InvalidDataException("the first line is empty");
        return password;
    }

    /// <summary>
    /// The password the uplink has now: <see cref="UplinkOptions.PasswordFile"/> read again (so that a rotated file is
    /// picked up), else <see cref="UplinkOptions.Password"/>; null for a certificate-only uplink.
    /// </summary>
    public static string? CurrentPassword(UplinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.PasswordFile) ? NullIfEmpty(options.Password) : ReadPasswordFile(options.PasswordFile);
    }

    /// <summary>
    /// Why the uplink cannot authenticate the downloads <paramref name="feature"/> needs, or null: the fleet takes the
    /// gateway's own ledger password as HTTP Basic (RFC 7617), so it needs a user name and a password or password file.
    /// </summary>
    public static string? DownloadCredentialProblem(UplinkOptions options, string feature)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string section = UplinkOptions.SectionName;
        var hasPassword = !string.IsNullOrEmpty(options.Password) || !string.IsNullOrWhiteSpace(options.PasswordFile);
        if (hasPassword && !string.IsNullOrWhiteSpace(options.Username))
            return null;
        return $"{feature} is true, but the uplink has no password credential ({section}:Username is '{options.Username}', " +
               $"{section}:Password and {section}:PasswordFile are {(hasPassword ? "set" : "empty")}); expected {section}:Username with " +
               $"{section}:Password or {section}:PasswordFile: the gateway downloads artifacts with its own ledger password, and a " +
               "certificate-only uplink cannot download them.";
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
