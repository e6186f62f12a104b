using CivicEdge.Fleet.Core.Ledger;
using CivicEdge.Fleet.Storage.LiteDb.Ledger;
using CivicEdge.Fleet.Storage.LiteDb.Tests.Contract;
using Microsoft.Extensions.Logging.Abstractions;

namespace CivicEdge.Fleet.Storage.LiteDb.Tests;

[TestFixture]
[Category("Integration")]
public sealed class LiteDbDeviceLedgerStoreContractTests : DeviceLedgerStoreContractTests
{
    private string? _directory;

    protected override Task<IDeviceLedgerStore> OpenEmptyStoreAsync()
    {
        _directory = Directory.CreateTempSubdirectory("civicedge-ledger-store-").FullName;
        var options = new LiteDbLedgerStoreOptions { Path = Path.Combine(_directory, "ledger.db") };
        return Task.FromResult<IDeviceLedgerStore>(new LiteDbDeviceLedgerStore(options, NullLogger<LiteDbDeviceLedgerStore>.Instance));
    }

    protected override Task CloseStoreAsync(IDeviceLedgerStore store)
    {
        ((LiteDbDeviceLedgerStore)store).Dispose();
        if (_directory is not null)
            Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
