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
}
