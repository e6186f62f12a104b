using CivicEdge.Fleet.Core;
using CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests;

[TestFixture]
[Category("Integration")]
public sealed class LiteDbTelemetryHistoryContractTests : TelemetryHistoryContractTests
{
    private string? _directory;

    protected override Task<IFleetStore> OpenEmptyStoreAsync()
    {
        _directory = Directory.CreateTempSubdirectory("civicedge-fleet-history-").FullName;
        var options = new LiteDbFleetStoreOptions { Path = Path.Combine(_directory, "fleet.db") };
        return Task.FromResult<IFleetStore>(new LiteDbFleetStore(options, NullLogger<LiteDbFleetStore>.Instance));
    }

    protected override Task CloseStoreAsync(IFleetStore store)
    {
        ((LiteDbFleetStore)store).Dispose();
        if (_directory is not null)
            Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
