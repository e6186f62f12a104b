namespace CivicEdge.Modbus.Interop.Tests.Peers;

/// <summary>What a peer command did: its exit code, standard output, standard error, and all of it for failure messages.</summary>
internal sealed record PeerRun(int ExitCode, string Output, string Errors, string Transcript);
