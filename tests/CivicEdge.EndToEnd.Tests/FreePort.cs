using System.Net;
using System.Net.Sockets;

namespace CivicEdge.EndToEnd.Tests;

/// <summary>Asks the OS for a free loopback port for a server that cannot report the port it bound itself.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
