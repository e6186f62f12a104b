namespace CivicEdge.Modbus.Interop.Tests.Peers;

/// <summary>
/// mbpoll, a Modbus master command-line tool built on libmodbus, run once per transaction with PDU (zero-based)
/// addressing. Returns its exit code and everything it printed.
/// </summary>
internal static class Mbpoll
{
    /// <param name="port">The Modbus TCP server's port on loopback.</param>
    /// <param name="unit">The unit identifier to address.</param>
    /// <param name="options">mbpoll options such as <c>-t 4 -r 0 -c 10</c>.</param>
    /// <param name="writeValues">Values to write; none reads.</param>
    /// <param name="cancellationToken">Kills mbpoll when cancelled.</param>
    public static Task<PeerRun> OverTcpAsync(
        int port, byte unit, string[] options, string[] writeValues, CancellationToken cancellationToken)
    {
        DebianPeer.Require(DebianPeer.Mbpoll);
        // mbpoll's grammar: options, then the host or device, then the values to write.
        return PeerProcess.RunAsync(DebianPeer.Mbpoll.Path,
            ["-1", "-0", "-o", "2", "-a", Invariant(unit), "-p", Invariant(port), .. options, "127.0.0.1", .. writeValues], cancellationToken);
    }

    /// <summary>Modbus RTU at <paramref name="baud"/>, 8N1, on the serial device <paramref name="path"/>.</summary>
    public static Task<PeerRun> OverRtuAsync(
        string path, int baud, byte unit, string[] options, string[] writeValues, CancellationToken cancellationToken)
    {
        DebianPeer.Require(DebianPeer.Mbpoll);
        return PeerProcess.RunAsync(DebianPeer.Mbpoll.Path,
            ["-1", "-0", "-o", "2", "-m", "rtu", "-b", Invariant(baud), "-P", "none", "-a", Invariant(unit), .. options, path, .. writeValues],
            cancellationToken);
    }

    /// <summary>The register values mbpoll printed as <c>[address]: value</c> lines, in order.</summary>
    public static ushort[] RegistersIn(string output) =>
        [.. output.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith('[') && line.Contains("]:", StringComparison.Ordinal))
            .Select(line => ushort.Parse(line[(line.IndexOf("]:", StringComparison.Ordinal) + 2)..].Trim(), System.Globalization.CultureInfo.InvariantCulture))];

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
