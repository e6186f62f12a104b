using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests;

/// <summary>A LiteDB fleet store in a folder of its own, removed when closed.</summary>
internal sealed class TempStore
{
    private string? _directory;

    public LiteDbFleetStoreOptions Options { get; private set; } = new();

    public LiteDbFleetStore? Store { get; private set; }

    public LiteDbFleetStore Open()
    {
        _directory = Directory.CreateTempSubdirectory("civicedge-fleet-store-").FullName;
        Options = new LiteDbFleetStoreOptions { Path = Path.Combine(_directory, "fleet.db") };
        Store = new LiteDbFleetStore(Options, NullLogger<LiteDbFleetStore>.Instance);
        return Store;
    }

    /// <summary>Closes the store and opens the same file again, as the fleet does after a restart.</summary>
    public LiteDbFleetStore Reopen()
    {
        Store?.Dispose();
        Store = new LiteDbFleetStore(Options, NullLogger<LiteDbFleetStore>.Instance);
        return Store;
    }

    public Task CloseAsync()
    {
        Store?.Dispose();
        Store = null;
        if (_directory is not null)
            Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
