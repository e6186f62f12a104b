using System.Diagnostics.CodeAnalysis;

namespace CivicEdge.Gateway.Configuration;

/// <summary>A device's network address, written <c>tcp://host:port</c> in configuration.</summary>
/// <param name="Host">A host name or IP address (IPv6 without brackets).</param>
/// <param name="Port">The TCP port.</param>
public sealed record DeviceEndpoint(string Host, int Port)
{
    /// <summary>The Modbus TCP port registered with IANA (Modbus Messaging on TCP/IP Implementation Guide §4.1).</summary>
    public const int ModbusTcpPort = 502;

    /// <summary>The accepted form, for error messages.</summary>
    public const string Expected = "tcp://host:port (e.g. tcp://192.0.2.10:502)";

    public static bool TryParse(string? text, [NotNullWhen(true)] out DeviceEndpoint? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text)
            || !Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme != "tcp"
            || string.IsNullOrEmpty(uri.Host)
            || uri.AbsolutePath is not ("" or "/")
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0
            || uri.UserInfo.Length > 0)
        {
            return false;
        }

        endpoint = new DeviceEndpoint(uri.DnsSafeHost, uri.IsDefaultPort || uri.Port < 0 ? ModbusTcpPort : uri.Port);
        return true;
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"tcp://[{Host}]:{Port}" : $"tcp://{Host}:{Port}";
}
