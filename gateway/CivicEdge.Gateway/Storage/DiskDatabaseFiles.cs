namespace CivicEdge.Gateway.Storage;

/// <summary>The database's files on the local disk, unbuffered: LiteDB writes whole pages and does its own caching.</summary>
public sealed class DiskDatabaseFiles : IDatabaseFiles
{
    public static DiskDatabaseFiles Instance { get; } = new();

    public Stream Open(string path) =>
        new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
}
