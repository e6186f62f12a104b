namespace CivicEdge.Gateway.Storage;

/// <summary>
/// Where <see cref="GatewayDatabase"/> opens its data and log files: the disk in production; in tests, a disk that
/// fills up or fails on demand.
/// </summary>
public interface IDatabaseFiles
{
    /// <summary>Opens (or creates) the file for reading and writing, positioned at its start.</summary>
    Stream Open(string path);
}
