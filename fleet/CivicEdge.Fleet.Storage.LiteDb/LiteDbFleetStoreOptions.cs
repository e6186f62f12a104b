namespace CivicEdge.Fleet.Storage.LiteDb;

/// <summary>Where the embedded fleet store keeps its data.</summary>
public sealed class LiteDbFleetStoreOptions
{
    /// <summary>The LiteDB file; relative paths are resolved against the working directory. Its folder is created if missing.</summary>
    public string Path { get; set; } = "civicedge-fleet.db";
}
